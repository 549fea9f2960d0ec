using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;
using Fuzz.Reporting.Text;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Commands;

/// <summary>
/// What 'fuzz run' prints for a finding: the violation in words, the shrunk per-agent table, where
/// it was saved, and the two lines that replay the saved file and regenerate the unshrunk scenario
/// from the current directory (with the kernel, settings and oracle the run had, so they give what
/// they claim).
/// </summary>
internal sealed class FindingReport(KernelDefinition kernel, KernelChoice choice, string? directory, string? settingsFile, string? oracleName)
{
    public void Print(Finding f)
    {
        ReplayResult r = Replayer.Run(f.Shrunk, kernel);
        Console.WriteLine();
        Console.WriteLine($"FOUND {OracleNames.Name(f.Oracle)} after {f.FoundAfterScenarios:N0} scenarios ({f.FoundAfter.TotalSeconds:F1} s); " +
            $"shrunk in {f.ShrinkTime.TotalSeconds:F1} s ({f.ShrinkReplays} replays) from {f.Original.OperationCount} to {f.Shrunk.OperationCount} operations, {r.Sim.Tick} steps");
        for (int i = 0; i < r.Sim.Violations.Count; i++) Console.WriteLine("  " + ViolationText.Describe(r.Sim, r.Sim.Violations[i]));
        Console.WriteLine();
        foreach (string line in TableRenderer.Render(r.Sim, showLocal: false)) Console.WriteLine(line);
        Console.WriteLine();
        string regenerate = Regenerate(f);
        if (directory is not null)
        {
            RegressionStore.Saved saved = RegressionStore.Save(directory, f, kernel, "fuzz run", DateOnly.FromDateTime(DateTime.UtcNow),
                regenerate: regenerate, kernelFile: choice.File);
            string shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), saved.Path);
            Console.WriteLine(saved.New ? $"saved: {shown}" : $"already saved: {shown}");
            Console.WriteLine($"replay: {Invocation.Fuzz("replay " + Invocation.Quote(shown))}");
        }
        Console.WriteLine($"regenerate: {regenerate}");
    }

    private string Regenerate(Finding f) =>
        Invocation.Fuzz($"run --kernel {Invocation.Quote(choice.Argument)} --scenario-seed {Seeds.Format(f.ScenarioSeed)}" +
            (settingsFile is null ? "" : $" --settings {Invocation.Quote(settingsFile)}") +
            (oracleName is null ? "" : $" --oracle {oracleName}"));
}
