using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Model.Variants;
using Fuzz.Reporting.Text;
using Fuzz.Search.Shrinking;

namespace Fuzz.Commands;

/// <summary>
/// fuzz replay FILE: run a scenario file, print its per-agent table and verdict, then check every
/// verdict the file states (under its own kernel and any 'expect ... under KERNEL').
/// </summary>
internal static class ReplayCommand
{
    public static int Run(CliArgs args)
    {
        string? kernelRef = args.Option("--kernel");
        bool brief = args.Flag("--brief");
        bool printSchedule = args.Flag("--schedule");
        IReadOnlyList<string> files = args.Positionals();
        if (files.Count != 1) throw new UsageException("replay takes one scenario file");
        string file = files[0];
        Scenario scenario = ScenarioParser.Load(file);
        string dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        Scenario shown = kernelRef is null ? scenario : scenario with { Kernel = kernelRef };
        KernelDefinition kernel = KernelLoader.Load(shown.Kernel, kernelRef is null ? dir : Directory.GetCurrentDirectory());
        ReplayResult r = Replayer.Run(shown, kernel);
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
            foreach (ExpectationCheck check in ExpectationCheck.All(scenario, dir))
            {
                Console.WriteLine(check.Describe());
                ok &= check.Met;
            }
        }
        else
        {
            ok = r.Coherent;
        }
        Console.WriteLine($"replay: fuzz replay {file}{(kernelRef is null ? "" : " --kernel " + kernelRef)}");
        return ok ? 0 : 1;
    }

    /// <summary>The oracle whose orderings to show: the one the file expects, if it fired, else the first that did.</summary>
    private static OracleId OracleOf(Scenario s, ReplayResult r) =>
        s.Expect is { Coherent: false } e && r.Violates(e.Oracle) ? e.Oracle : r.Sim.Violations[0].Oracle;
}
