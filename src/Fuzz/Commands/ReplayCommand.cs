using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Reporting.Text;
using Fuzz.Search.Shrinking;

namespace Fuzz.Commands;

/// <summary>
/// fuzz replay FILE: run a scenario file, print its per-agent table and verdict, then check every
/// verdict the file states (under its own kernel and any 'expect ... under KERNEL').
/// </summary>
internal static class ReplayCommand
{
    public const string Usage = """
        replay FILE [--kernel K] [--brief] [--schedule]
            Replay a scenario file; print the per-agent table (zero-time steps in brackets in
            the row before them), the cross-agent orderings its violation needs, and the
            verdict, then check every verdict the file states. Exit 0 when all hold, 1 otherwise.
            --kernel K   run under another kernel (no file verdicts checked; exit 1 if it fails)
            --brief      leave out the zero-time steps and dim the steps no ordering needs
            --schedule   also print the schedule actually taken
        """;

    public static int Run(CliArgs args)
    {
        string? kernelRef = args.Option("--kernel");
        bool brief = args.Flag("--brief");
        bool printSchedule = args.Flag("--schedule");
        IReadOnlyList<string> files = args.Positionals();
        if (files.Count != 1) throw new UsageException("replay takes one scenario file");
        string file = files[0];
        ScenarioFile source = ScenarioFile.Load(file);
        Scenario scenario = source.Scenario;
        Scenario shown = kernelRef is null ? scenario : scenario with { Kernel = kernelRef };
        KernelDefinition kernel = kernelRef is null ? source.Kernel(scenario.Kernel) : KernelLoader.Load(kernelRef, Directory.GetCurrentDirectory());
        ReplayResult r = source.Replay(shown, kernel);
        foreach (string c in scenario.Comments) Console.WriteLine("# " + c);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        CriticalOrderings.Result? analysis = r.Coherent ? null : CriticalOrderings.Find(shown, kernel, OracleOf(scenario, r));
        TimeSpan took = clock.Elapsed;
        foreach (string line in RunReport.Lines(r, showLocal: !brief, analysis?.Orderings, brief)) Console.WriteLine(line);
        if (analysis is not null) Console.WriteLine($"  ({analysis.Replays} reorderings replayed in {took.TotalMilliseconds:F0} ms)");
        Console.WriteLine();
        if (printSchedule)
        {
            Console.WriteLine("schedule taken (paste into the file to pin it):");
            Console.WriteLine("schedule:");
            foreach (var chunk in ScheduleText.FormatAll(r.Taken, shown.Layout).Chunk(12)) Console.WriteLine("  " + string.Join(' ', chunk));
            Console.WriteLine();
        }
        bool ok = true;
        if (kernelRef is null)
        {
            foreach (ExpectationCheck check in ExpectationCheck.All(source))
            {
                Console.WriteLine(check.Describe());
                ok &= check.Met;
            }
        }
        else
        {
            ok = r.Coherent;
        }
        string again = "replay " + Invocation.Quote(file) + (kernelRef is null ? "" : " --kernel " + Invocation.Quote(kernelRef)) + (brief ? " --brief" : "");
        Console.WriteLine($"replay: {Invocation.Fuzz(again)}");
        return ok ? 0 : 1;
    }

    /// <summary>The oracle whose orderings to show: the one the file expects, if it fired, else the first that did.</summary>
    private static OracleId OracleOf(Scenario s, ReplayResult r) =>
        s.Expect is { Coherent: false } e && r.Violates(e.Oracle) ? e.Oracle : r.Sim.Violations[0].Oracle;
}
