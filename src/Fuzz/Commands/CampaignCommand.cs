using System.Diagnostics;
using System.Globalization;
using Fuzz.Campaigns.Report;
using Fuzz.Campaigns;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Variants;

namespace Fuzz.Commands;

/// <summary>
/// fuzz campaign: a long, parallel, resumable fuzz run into a campaign directory. Ctrl-C or SIGTERM
/// stops it cleanly (every worker finishes its scenario and checkpoints); --resume continues it.
/// The directory's lock is held from creation (or resume) to the last report, so a second writer is
/// refused. Exit 0 when it found nothing, 1 when something was.
/// </summary>
internal static class CampaignCommand
{
    public const string Usage = """
        campaign [--kernel K] [--minutes 10 | --hours H | --seconds S] [--scenarios N] [--workers N]
                 [--seed S] [--settings FILE] [--oracle NAME] [--max-failures N]
                 [--shard i/n] [--dir DIR]
        campaign --resume DIR [--minutes M | --hours H | --seconds S]
            A long fuzz run on every core into a campaign directory (default:
            campaigns/KERNEL-TIME; --dir a new or empty directory): distinct failures shrunk and
            saved as they are found, checkpoints, report.html at the end. Ctrl-C or SIGTERM
            stops cleanly; --resume continues (one process writes a campaign at a time).
            --scenarios is per worker (reproducible runs); --shard i/n takes every n-th
            scenario, for n machines.
        """;

    private const long MaxSeconds = CampaignLimits.MaxBudgetSeconds;

    public static int Run(CliArgs args)
    {
        string? resume = args.Option("--resume");
        long? minutes = args.LongOrNull("--minutes", 1, MaxSeconds / 60);
        long? hours = args.LongOrNull("--hours", 1, MaxSeconds / 3600);
        long? seconds = args.LongOrNull("--seconds", 1, MaxSeconds);
        long? scenarios = args.LongOrNull("--scenarios", 1, CampaignLimits.MaxCount);
        string? kernelRef = args.Option("--kernel");
        long? workersGiven = args.LongOrNull("--workers", 1, CampaignLimits.MaxWorkers);
        ulong? seedGiven = args.Seed("--seed");
        string? settingsFile = args.Option("--settings");
        string? oracleName = args.Option("--oracle");
        string? shardText = args.Option("--shard");
        string? dirText = args.Option("--dir");
        long? maxFailuresGiven = args.LongOrNull("--max-failures", 0, CampaignLimits.MaxFailures);
        args.NoPositionals("campaign");
        if ((minutes is null ? 0 : 1) + (hours is null ? 0 : 1) + (seconds is null ? 0 : 1) > 1) throw new UsageException("give one of --seconds, --minutes, --hours");
        TimeSpan? more = minutes is { } m ? TimeSpan.FromMinutes(m) : hours is { } hh ? TimeSpan.FromHours(hh) : seconds is { } ss ? TimeSpan.FromSeconds(ss) : null;

        if (resume is not null)
        {
            if (new object?[] { kernelRef, seedGiven, settingsFile, oracleName, shardText, workersGiven, dirText, scenarios, maxFailuresGiven }.Any(o => o is not null))
                throw new UsageException("--resume takes only --seconds, --minutes or --hours: the rest is in the campaign's campaign.txt");
            var dir = new CampaignDirectory(resume);
            CampaignManifest manifest = dir.LoadManifest();
            if (manifest.MergedFrom.Count > 0)
                throw new UsageException($"{resume} was merged from other campaigns ({string.Join("; ", manifest.MergedFrom)}); resume those, then merge again");
            using DirectoryLock held = dir.OpenLocked("resume");
            Recovered(held);
            return Execute(dir, more);
        }

        kernelRef ??= KernelDefinition.FixedName;
        KernelDefinition kernel = KernelLoader.Load(kernelRef, Directory.GetCurrentDirectory());
        Shard shard = Shard.Whole;
        if (shardText is not null && !Shard.TryParse(shardText, out shard))
            throw new UsageException($"--shard takes i/n with 0 <= i < n <= {CampaignLimits.MaxShards}, e.g. 0/4, not '{Token.Show(shardText)}'");
        OracleId? oracle = null;
        if (oracleName is not null)
        {
            if (!OracleNames.TryParse(oracleName, out OracleId o)) throw new UsageException($"unknown oracle '{Token.Show(oracleName)}' ({OracleNames.AllNames})");
            oracle = o;
        }
        var (recorded, kernelFile) = RecordKernel(kernelRef);
        var created = new CampaignManifest
        {
            Kernel = recorded,
            Seed = seedGiven ?? (ulong)Random.Shared.NextInt64(),
            Shard = shard,
            Workers = (int)(workersGiven ?? Math.Min(Environment.ProcessorCount, CampaignLimits.MaxWorkers)),
            BudgetSeconds = scenarios is null ? (long)(more ?? TimeSpan.FromMinutes(10)).TotalSeconds : more is { } t ? (long)t.TotalSeconds : null,
            ScenariosPerWorker = scenarios,
            MaxFailures = (int)(maxFailuresGiven ?? 0),
            Oracle = oracle,
            Settings = settingsFile is null ? GeneratorSettings.Default : GeneratorSettings.Load(settingsFile),
            Created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        // Everything is checked by now; the directory is claimed, locked and written only from here on.
        var newDir = new CampaignDirectory(dirText ?? DefaultDir(kernel.Name, shard));
        using DirectoryLock lockHeld = newDir.CreateLocked(created, kernelFile);
        return Execute(newDir, null);
    }

    private static void Recovered(DirectoryLock held)
    {
        if (held.Recovered is { } who)
            Console.WriteLine($"  note: recovered the lock of {who}, which ended without releasing it (killed?); its saved work is kept");
    }

    private static int Execute(CampaignDirectory dir, TimeSpan? more)
    {
        CampaignManifest m = dir.LoadManifest();
        KernelDefinition kernel = dir.LoadKernel(m);
        var runner = new CampaignRunner(dir, kernel);
        TimeSpan before = runner.PreviousElapsed;
        TimeSpan? duration = more ?? (m.BudgetSeconds is { } b ? TimeSpan.FromSeconds(b) - before : null);
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            Console.WriteLine($"fuzz campaign: {dir.Root} has used its budget ({Clock(before)}); give --minutes or --hours to run longer");
            return runner.Distinct == 0 ? 0 : 1;
        }

        Console.WriteLine($"fuzz campaign: {RunReport(kernel)}, seed {Seeds.Format(m.Seed)}, shard {m.Shard}, {m.Workers} worker(s)");
        Console.WriteLine($"  directory {dir.Root}" + (before > TimeSpan.Zero ? $" (resumed after {Clock(before)}, {Fuzz.Search.Fuzzing.CauseText.Count(runner.Distinct, runner.Shapes)} so far)" : ""));
        Console.WriteLine($"  budget: {(duration is { } dd ? Clock(dd) : "")}{(m.ScenariosPerWorker is { } n ? $" {n:N0} scenarios per worker" : "")}" +
            (m.MaxFailures > 0 ? $", stop after {m.MaxFailures} distinct failure(s)" : "") + "; Ctrl-C or SIGTERM stops cleanly, --resume continues");

        CancellationToken cancel = Interrupt.Token;
        var line = new ProgressLine();
        CampaignProgress last = default;
        runner.Run(duration,
            p =>
            {
                last = p;
                lock (line) line.Update($"  {Clock(p.Elapsed)}  {p.Scenarios,14:N0} scenarios  {p.ScenariosPerSecond,8:N0}/s  distinct failures {p.Distinct} ({p.Shapes} shapes)  " +
                    $"races {p.RacePairs}/{p.RacePairsPossible}" + (p.Remaining is { } r ? $"  remaining {Clock(r)}" : ""));
            },
            f =>
            {
                // Workers report findings from their own threads; the progress line is the main thread's.
                lock (line)
                {
                    line.Break();
                    Console.WriteLine($"  FOUND {OracleNames.Name(f.Oracle)}: {Path.Combine(dir.FindingsDir, f.File)} (worker {f.Worker}, shrunk from {f.OriginalOps} to {f.ShrunkOps} operations; {runner.CauseNote(f)})");
                }
            },
            cancel);
        line.Break();

        string report = CampaignReport.Write(dir);
        Console.WriteLine(cancel.IsCancellationRequested ? "stopped; everything found is saved." : "done.");
        Console.WriteLine($"  {last.Scenarios:N0} scenarios in {Clock(last.Elapsed)}, {last.ScenariosPerSecond:N0} scenarios/s this session; " +
            $"races {last.RacePairs}/{last.RacePairsPossible}; peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F1} MiB");
        Console.WriteLine($"  {Fuzz.Search.Fuzzing.CauseText.Count(runner.Distinct, runner.Shapes)} in {dir.FindingsDir}");
        Console.WriteLine($"  report: {report}");
        if (runner.Distinct > 0) Console.WriteLine($"  promote one: {Invocation.Fuzz("promote " + Invocation.Quote(dir.FindingsDir) + "/FILE.scenario")}");
        Console.WriteLine($"  continue: {Invocation.Fuzz("campaign --resume " + Invocation.Quote(dir.Root) + " --hours 1")}");
        return runner.Distinct == 0 ? 0 : 1;
    }

    private static string RunReport(KernelDefinition k) => Fuzz.Reporting.Text.RunReport.Describe(k);

    private static string Clock(TimeSpan t) => $"{(int)t.TotalHours:D2}:{t.Minutes:D2}:{t.Seconds:D2}";

    /// <summary>
    /// How the campaign names its kernel: the built-in or a name from kernels/ stays a name; a kernel
    /// given by path is copied into findings/ (by CreateLocked, after everything else was accepted)
    /// so that the campaign, and every finding, replays wherever the directory goes.
    /// </summary>
    private static (string Recorded, (string Name, string Text)? File) RecordKernel(string kernelRef)
    {
        KernelChoice choice = KernelChoice.Of(kernelRef, Directory.GetCurrentDirectory());
        if (choice.File is not var (stem, text)) return (choice.Recorded, null);
        return (stem + ".kernel", (stem + ".kernel", text));
    }

    /// <summary>campaigns/KERNEL-TIMESTAMP[-shard-i-of-n] in the repository (or the current directory).</summary>
    private static string DefaultDir(string kernelName, Shard shard)
    {
        string root = KernelLoader.RepoRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string name = $"{Fuzz.Search.Fuzzing.RegressionStore.Safe(kernelName)}-{stamp}" + (shard.Count > 1 ? $"-shard-{shard.Index}-of-{shard.Count}" : "");
        return Path.Combine(root, "campaigns", name);
    }
}
