using System.Diagnostics;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;
using Fuzz.Reporting.Text;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Commands;

/// <summary>
/// fuzz run: a short fuzz run against one kernel, over generated scenarios or over the schedules of
/// one scenario file (--scenario). Prints progress and throughput, every distinct
/// failure as a shrunk per-agent table with the lines that replay and regenerate it, and saves each
/// new failure as a regression file. Exit 0 when nothing was found, 1 when something was.
/// </summary>
internal static class RunCommand
{
    public const string Usage = """
        run [--kernel K] [--seconds 30 | --scenarios N] [--seed S] [--max-failures 1]
            [--oracle NAME] [--settings FILE] [--save DIR | --no-save] [--stats]
            [--scenario-seed S]
        run --scenario FILE [--kernel K] [--seconds 30 | --scenarios N] [--seed S]
            [--max-failures 1] [--oracle NAME] [--save DIR | --no-save] [--stats]
            [--schedule-seed S]
            Fuzz the kernel with generated scenarios (each from a seed derived from --seed);
            shrink and print every distinct failure with the lines that replay and regenerate
            it, and save it as a regression file (default: tests/Regressions of the repository
            you run in, else ./findings) unless the same scenario is already there; a kernel
            given by path is saved beside it. --oracle NAME counts only that oracle's violations
            (others are ignored) and keeps it while shrinking. --max-failures 0 runs the whole
            budget. --scenario-seed S runs the one scenario a 'regenerate:' line names.
            --scenario FILE fuzzes the schedules of that one scenario instead: each run draws a
            fresh schedule for it as generated scenarios draw theirs (the file's schedule is not
            used), under the file's kernel unless --kernel is given; --scenarios counts
            schedules, and --schedule-seed S runs the one schedule a 'regenerate:' line names.
            Exit 0 when nothing was found, 1 when something was.
        """;

    public static int Run(CliArgs args)
    {
        string? kernelGiven = args.Option("--kernel");
        long? secondsGiven = args.LongOrNull("--seconds", 1, 7 * 24 * 3600);
        long? scenarios = args.LongOrNull("--scenarios", 1, 1_000_000_000_000);
        int maxFailures = args.Int("--max-failures", 1, 0, 1_000_000);
        ulong? seedGiven = args.Seed("--seed");
        ulong? oneSeed = args.Seed("--scenario-seed");
        ulong? scheduleSeed = args.Seed("--schedule-seed");
        string? oracleName = args.Option("--oracle");
        string? settingsFile = args.Option("--settings");
        string? scenarioFile = args.Option("--scenario");
        string? saveDir = args.Option("--save");
        bool noSave = args.Flag("--no-save");
        bool stats = args.Flag("--stats");
        args.NoPositionals("run");
        if (secondsGiven is not null && scenarios is not null) throw new UsageException("give --seconds or --scenarios, not both");
        if (saveDir is not null && noSave) throw new UsageException("give --save DIR or --no-save, not both");
        if (scenarioFile is not null && oneSeed is not null)
            throw new UsageException("--scenario FILE fuzzes that file's scenario and --scenario-seed names a generated one: give one, not both (--schedule-seed S runs one schedule of FILE)");
        if (scenarioFile is not null && settingsFile is not null)
            throw new UsageException("--scenario FILE fuzzes that file's scenario and --settings shapes generated ones: give one, not both");
        if (scheduleSeed is not null && scenarioFile is null) throw new UsageException("--schedule-seed S draws a schedule for the scenario of --scenario FILE; give --scenario FILE");
        long seconds = secondsGiven ?? 30;

        string cwd = Directory.GetCurrentDirectory();
        FixedScenarioFile? target = scenarioFile is null ? null : FixedScenarioFile.Load(scenarioFile, kernelGiven, cwd);
        string kernelRef = target?.KernelArgument ?? kernelGiven ?? KernelDefinition.FixedName;
        KernelDefinition kernel = KernelLoader.Load(kernelRef, cwd);
        KernelChoice choice = KernelChoice.Of(kernelRef, cwd);
        GeneratorSettings settings = settingsFile is null ? GeneratorSettings.Default : GeneratorSettings.Load(settingsFile);
        OracleId? oracle = null;
        if (oracleName is not null)
        {
            if (!OracleNames.TryParse(oracleName, out OracleId o)) throw new UsageException($"unknown oracle '{Token.Show(oracleName)}' ({OracleNames.AllNames})");
            oracle = o;
        }
        ulong seed = seedGiven ?? (ulong)Random.Shared.NextInt64();
        string? directory = noSave ? null : saveDir ?? DefaultSaveDir();

        var options = new FuzzOptions
        {
            Kernel = kernel,
            KernelRef = choice.Recorded,
            Settings = settings,
            Seed = seed,
            Duration = scenarios is null ? TimeSpan.FromSeconds(seconds) : null,
            MaxScenarios = scenarios,
            MaxFailures = maxFailures,
            Oracle = oracle,
            FixedScenario = target?.Scenario,
        };
        var runner = new FuzzRunner(options);
        var report = new FindingReport(kernel, choice, directory, new FindingReport.RunArguments(target?.Path, settingsFile, oracleName));
        string runs = target is null ? "scenarios" : "schedules";

        if ((target is null ? oneSeed : scheduleSeed) is { } s)
        {
            Console.WriteLine(target is null
                ? $"fuzz run: one scenario, seed {Seeds.Format(s)}, kernel {RunReport.Describe(kernel)}"
                : $"fuzz run: {target.Path} under one schedule, seed {Seeds.Format(s)}, kernel {RunReport.Describe(kernel)}");
            Scenario generated = runner.Generate(s);
            ReplayResult r;
            try
            {
                r = Replayer.Run(generated, kernel, options.Sim);
            }
            catch (ModelLimitException e)
            {
                Console.WriteLine($"this run goes beyond the model's limits ({e.Message}); a fuzz run skips such {runs}");
                return 0;
            }
            foreach (string line in RunReport.Lines(r, showLocal: false)) Console.WriteLine(line);
            Finding? f = runner.RunOne(s, Stopwatch.StartNew());
            if (f is not null) report.Print(f);
            return f is null ? 0 : 1;
        }

        CancellationToken cancel = Interrupt.Token;
        var console = new ProgressLine();
        Console.WriteLine($"fuzz run: kernel {RunReport.Describe(kernel)}");
        if (target is not null) Console.WriteLine($"  scenario {target.Path} ({target.Scenario.OperationCount} operations), a fresh schedule each run");
        Console.WriteLine($"  seed {Seeds.Format(seed)} (rerun with --seed {Seeds.Format(seed)}), " +
            (scenarios is null ? $"{seconds} s" : $"{scenarios:N0} {runs}") +
            $", stop after {(maxFailures == 0 ? "the budget" : $"{maxFailures} distinct failure(s)")}" +
            (oracle is null ? "" : $", only {oracleName} violations count") + "; Ctrl-C stops");
        runner.Run(
            p => console.Update($"  {p.Elapsed.TotalSeconds,6:F1} s  {p.Scenarios,10:N0} {runs}  {p.ScenariosPerSecond,8:N0}/s  {p.StepsPerSecond,12:N0} steps/s  failures {p.Failures}"),
            f =>
            {
                console.Break();
                report.Print(f, runner.Causes);
            },
            cancel);
        console.Break();

        Console.WriteLine();
        if (cancel.IsCancellationRequested) Console.WriteLine("stopped before the budget; everything found is saved.");
        string counted = oracle is null ? "violation" : $"{oracleName} violation (other oracles are not counted with --oracle)";
        Console.WriteLine(runner.Findings.Count == 0
            ? $"verdict: no {counted} in {runner.Stats.Scenarios:N0} {runs} ({runner.Stats.Ticks:N0} simulated steps)"
            : $"verdict: {CauseText.Count(runner.Causes)} in {runner.Stats.Scenarios:N0} {runs}");
        foreach (string line in CauseText.Summary(runner.Causes, runner.Findings)) Console.WriteLine("  " + line);
        IEnumerable<string> summary = runner.Stats.Describe();
        foreach (string line in stats ? summary : summary.Take(3)) Console.WriteLine("  " + line);
        if (!stats) Console.WriteLine("  (--stats for race coverage and step coverage)");
        return runner.Findings.Count == 0 ? 0 : 1;
    }

    /// <summary>tests/Regressions of the repository we run in, else ./findings.</summary>
    private static string DefaultSaveDir()
    {
        string? root = KernelLoader.RepoRoot(Directory.GetCurrentDirectory());
        return root is null ? Path.Combine(Directory.GetCurrentDirectory(), "findings") : Path.Combine(root, "tests", "Regressions");
    }
}
