using System.Diagnostics;
using Fuzz.Formats.Kernels;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Model.Variants;
using Fuzz.Reporting.Text;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Commands;

/// <summary>
/// fuzz run: a short fuzz run against one kernel. Prints progress and throughput, every distinct
/// failure as a shrunk per-agent table with the lines that replay and regenerate it, and saves each
/// new failure as a regression file. Exit 0 when nothing was found, 1 when something was.
/// </summary>
internal static class RunCommand
{
    public static int Run(CliArgs args)
    {
        string kernelRef = args.Option("--kernel") ?? KernelDefinition.FixedName;
        int seconds = args.Int("--seconds", 30, 1, 7 * 24 * 3600);
        long? scenarios = args.Option("--scenarios") is { } sc ? long.Parse(sc) : null;
        int maxFailures = args.Int("--max-failures", 1, 0, 1_000_000);
        string? seedText = args.Option("--seed");
        string? oneSeed = args.Option("--scenario-seed");
        string? oracleName = args.Option("--oracle");
        string? settingsFile = args.Option("--settings");
        string? saveDir = args.Option("--save");
        bool noSave = args.Flag("--no-save");
        bool stats = args.Flag("--stats");
        args.Positionals();

        KernelDefinition kernel = KernelLoader.Load(kernelRef, Directory.GetCurrentDirectory());
        GeneratorSettings settings = settingsFile is null ? GeneratorSettings.Default : GeneratorSettings.Load(settingsFile);
        OracleId? oracle = null;
        if (oracleName is not null)
        {
            if (!OracleNames.TryParse(oracleName, out OracleId o)) throw new UsageException($"unknown oracle '{oracleName}' ({OracleNames.AllNames})");
            oracle = o;
        }
        ulong seed = ParseSeed(seedText, "--seed") ?? (ulong)Random.Shared.NextInt64();
        string? directory = noSave ? null : saveDir ?? DefaultSaveDir();

        var options = new FuzzOptions
        {
            Kernel = kernel,
            KernelRef = kernelRef,
            Settings = settings,
            Seed = seed,
            Duration = scenarios is null ? TimeSpan.FromSeconds(seconds) : null,
            MaxScenarios = scenarios,
            MaxFailures = maxFailures,
            Oracle = oracle,
        };
        var runner = new FuzzRunner(options);
        var console = new ProgressLine();

        if (oneSeed is not null)
        {
            ulong s = ParseSeed(oneSeed, "--scenario-seed")!.Value;
            Console.WriteLine($"fuzz run: one scenario, seed {Seeds.Format(s)}, kernel {RunReport.Describe(kernel)}");
            Scenario generated = runner.Generate(s);
            ReplayResult r = Replayer.Run(generated, kernel, options.Sim);
            foreach (string line in RunReport.Lines(r, showLocal: false)) Console.WriteLine(line);
            Finding? f = runner.RunOne(s, Stopwatch.StartNew());
            if (f is not null) Report(f, kernel, directory, settingsFile);
            return f is null ? 0 : 1;
        }

        Console.WriteLine($"fuzz run: kernel {RunReport.Describe(kernel)}");
        Console.WriteLine($"  seed {Seeds.Format(seed)} (rerun with --seed {Seeds.Format(seed)}), " +
            (scenarios is null ? $"{seconds} s" : $"{scenarios:N0} scenarios") +
            $", stop after {(maxFailures == 0 ? "the budget" : $"{maxFailures} distinct failure(s)")}" +
            (oracle is null ? "" : $", oracle {oracleName}"));
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        runner.Run(
            p => console.Update($"  {p.Elapsed.TotalSeconds,6:F1} s  {p.Scenarios,10:N0} scenarios  {p.ScenariosPerSecond,8:N0}/s  {p.StepsPerSecond,12:N0} steps/s  failures {p.Failures}"),
            f =>
            {
                console.Break();
                Report(f, kernel, directory, settingsFile, runner.Causes);
            },
            cancel.Token);
        console.Break();

        FuzzProgress end = runner.Snapshot(TimeSpan.Zero);
        Console.WriteLine();
        Console.WriteLine(runner.Findings.Count == 0
            ? $"verdict: no violation in {runner.Stats.Scenarios:N0} scenarios ({runner.Stats.Ticks:N0} simulated steps)"
            : $"verdict: {CauseText.Count(runner.Causes)} in {runner.Stats.Scenarios:N0} scenarios");
        foreach (string line in CauseText.Summary(runner.Causes, runner.Findings)) Console.WriteLine("  " + line);
        IEnumerable<string> report = runner.Stats.Describe();
        foreach (string line in stats ? report : report.Take(3)) Console.WriteLine("  " + line);
        if (!stats) Console.WriteLine("  (--stats for race coverage and step coverage)");
        _ = end;
        return runner.Findings.Count == 0 ? 0 : 1;
    }

    private static void Report(Finding f, KernelDefinition kernel, string? directory, string? settingsFile, RootCauses? causes = null)
    {
        ReplayResult r = Replayer.Run(f.Shrunk, kernel);
        Console.WriteLine();
        Console.WriteLine($"FOUND {OracleNames.Name(f.Oracle)} after {f.FoundAfterScenarios:N0} scenarios ({f.FoundAfter.TotalSeconds:F1} s); " +
            $"shrunk in {f.ShrinkTime.TotalSeconds:F1} s ({f.ShrinkReplays} replays) from {f.Original.OperationCount} to {f.Shrunk.OperationCount} operations, {r.Sim.Tick} steps");
        for (int i = 0; i < r.Sim.Violations.Count; i++) Console.WriteLine("  " + ViolationText.Describe(r.Sim, r.Sim.Violations[i]));
        // A further shape of a known cause gets one line, unless it is now that cause's simplest.
        if (causes is not null && CauseText.Placement(causes, f) is { } placed)
        {
            Console.WriteLine("  " + placed.Line);
            if (!placed.ShowTable)
            {
                Save(f, kernel, directory, settingsFile);
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
        Save(f, kernel, directory, settingsFile);
    }

    private static void Save(Finding f, KernelDefinition kernel, string? directory, string? settingsFile)
    {
        if (directory is not null)
        {
            RegressionStore.Saved saved = RegressionStore.Save(directory, f, kernel, "fuzz run", DateOnly.FromDateTime(DateTime.UtcNow),
                regenerate: Regenerate(f, settingsFile));
            string shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), saved.Path);
            Console.WriteLine(saved.New ? $"saved: {shown}" : $"already saved: {shown}");
            Console.WriteLine($"replay: dotnet run --project src/Fuzz -- replay {shown}");
        }
        Console.WriteLine($"regenerate: {Regenerate(f, settingsFile)}");
    }

    private static string Regenerate(Finding f, string? settingsFile) =>
        $"dotnet run --project src/Fuzz -- run --kernel {f.Shrunk.Kernel} --scenario-seed {Seeds.Format(f.ScenarioSeed)}" +
        (settingsFile is null ? "" : $" --settings {settingsFile}");

    private static ulong? ParseSeed(string? text, string option)
    {
        if (text is null) return null;
        if (!Seeds.TryParse(text, out ulong s)) throw new UsageException($"{option} takes a hexadecimal seed");
        return s;
    }

    /// <summary>tests/Regressions of the repository we run in, else ./findings.</summary>
    private static string DefaultSaveDir()
    {
        string? root = KernelLoader.RepoRoot(Directory.GetCurrentDirectory());
        return root is null ? Path.Combine(Directory.GetCurrentDirectory(), "findings") : Path.Combine(root, "tests", "Regressions");
    }
}
