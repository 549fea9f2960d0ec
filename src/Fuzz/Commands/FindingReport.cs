using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;
using Fuzz.Reporting.Text;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Commands;

/// <summary>
/// What 'fuzz run' prints for a finding: the violation in words, the shrunk per-agent table, where
/// it was saved, and the two lines that replay the saved file and regenerate the unshrunk scenario
/// from the current directory (with the kernel, settings and oracle the run had, or the scenario file
/// whose schedules it fuzzed, so they give what they claim).
/// </summary>
internal sealed class FindingReport(KernelDefinition kernel, KernelChoice choice, string? directory, FindingReport.RunArguments run)
{
    /// <summary>
    /// The options of the run that the 'regenerate:' line repeats besides the kernel and the seed:
    /// the scenario file whose schedules it fuzzed (then the seed is a schedule seed) or the
    /// settings file, and the oracle.
    /// </summary>
    public sealed record RunArguments(string? ScenarioFile, string? SettingsFile, string? OracleName);

    /// <summary>
    /// Print a finding. With <paramref name="causes"/>, a further shape of a known root cause gets
    /// one line (and is saved), unless it is now that cause's simplest shape.
    /// </summary>
    public void Print(Finding f, RootCauses? causes = null)
    {
        ReplayResult r = Replayer.Run(f.Shrunk, kernel);
        Console.WriteLine();
        Console.WriteLine($"FOUND {OracleNames.Name(f.Oracle)} after {f.FoundAfterScenarios:N0} {f.RunsName} ({f.FoundAfter.TotalSeconds:F1} s); " +
            $"shrunk in {f.ShrinkTime.TotalSeconds:F1} s ({f.ShrinkReplays} replays) from {f.Original.OperationCount} to {f.Shrunk.OperationCount} operations, {r.Sim.Tick} steps");
        for (int i = 0; i < r.Sim.Violations.Count; i++) Console.WriteLine("  " + ViolationText.Describe(r.Sim, r.Sim.Violations[i]));
        if (causes is not null && CauseText.Placement(causes, f) is { } placed)
        {
            Console.WriteLine("  " + placed.Line);
            if (!placed.ShowTable)
            {
                Save(f);
                return;
            }
        }
        Console.WriteLine();
        IReadOnlyList<CriticalOrdering> orderings = f.Cause?.Orderings.Orderings ?? [];
        foreach (string line in TableRenderer.Render(r.Sim, showLocal: false, OrderingText.TableMarks(r.Sim, orderings, brief: false))) Console.WriteLine(line);
        Console.WriteLine();
        if (f.Cause is not null)
        {
            foreach (string line in OrderingText.Lines(r.Sim, orderings)) Console.WriteLine(line);
            Console.WriteLine($"  ({f.Cause.Orderings.Replays} reorderings replayed in {f.CauseTime.TotalMilliseconds:F0} ms)");
            Console.WriteLine();
        }
        Save(f);
    }

    private void Save(Finding f)
    {
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
        Invocation.Fuzz("run" + (run.ScenarioFile is null ? "" : $" --scenario {Invocation.Quote(run.ScenarioFile)}") +
            $" --kernel {Invocation.Quote(choice.Argument)}" +
            (run.ScenarioFile is null ? " --scenario-seed " : " --schedule-seed ") + Seeds.Format(f.ScenarioSeed) +
            (run.SettingsFile is null ? "" : $" --settings {Invocation.Quote(run.SettingsFile)}") +
            (run.OracleName is null ? "" : $" --oracle {run.OracleName}"));
}
