using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
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
/// Exit 0 when it found nothing, 1 when it found something.
/// </summary>
internal static class CampaignCommand
{
    public static int Run(CliArgs args)
    {
        string? resume = args.Option("--resume");
        int? minutes = args.Option("--minutes") is { } mi ? ParsePositive(mi, "--minutes") : null;
        int? hours = args.Option("--hours") is { } h ? ParsePositive(h, "--hours") : null;
        int? seconds = args.Option("--seconds") is { } se ? ParsePositive(se, "--seconds") : null;
        long? scenarios = args.Option("--scenarios") is { } sc ? ParsePositive(sc, "--scenarios") : null;
        string? kernelRef = args.Option("--kernel");
        string? workersText = args.Option("--workers");
        string? seedText = args.Option("--seed");
        string? settingsFile = args.Option("--settings");
        string? oracleName = args.Option("--oracle");
        string? shardText = args.Option("--shard");
        string? dirText = args.Option("--dir");
        int maxFailures = args.Int("--max-failures", 0, 0, 1_000_000);
        args.Positionals();
        if ((minutes is null ? 0 : 1) + (hours is null ? 0 : 1) + (seconds is null ? 0 : 1) > 1) throw new UsageException("give one of --seconds, --minutes, --hours");
        TimeSpan? more = minutes is { } m ? TimeSpan.FromMinutes(m) : hours is { } hh ? TimeSpan.FromHours(hh) : seconds is { } ss ? TimeSpan.FromSeconds(ss) : null;

        CampaignDirectory dir;
        if (resume is not null)
        {
            if (new[] { kernelRef, seedText, settingsFile, oracleName, shardText, workersText, dirText, scenarios?.ToString() }.Any(o => o is not null) || maxFailures != 0)
                throw new UsageException("--resume takes only --seconds, --minutes or --hours: the rest is in the campaign's campaign.txt");
            dir = new CampaignDirectory(resume);
            dir.RemoveTemporaryFiles();
            if (dir.LoadManifest().MergedFrom.Count > 0) throw new UsageException($"{resume} was merged from other campaigns; resume those instead");
        }
        else
        {
            kernelRef ??= KernelDefinition.FixedName;
            KernelDefinition kernel = KernelLoader.Load(kernelRef, Directory.GetCurrentDirectory());
            Shard shard = Shard.Whole;
            if (shardText is not null && !Shard.TryParse(shardText, out shard)) throw new UsageException("--shard takes i/n with 0 <= i < n, e.g. 0/4");
            OracleId? oracle = null;
            if (oracleName is not null)
            {
                if (!OracleNames.TryParse(oracleName, out OracleId o)) throw new UsageException($"unknown oracle '{oracleName}' ({OracleNames.AllNames})");
                oracle = o;
            }
            ulong seed = (ulong)Random.Shared.NextInt64();
            if (seedText is not null && !Seeds.TryParse(seedText, out seed)) throw new UsageException("--seed takes a hexadecimal seed");
            int workers = workersText is null ? Environment.ProcessorCount : ParsePositive(workersText, "--workers");
            string root = dirText ?? DefaultDir(kernel.Name, shard);
            dir = new CampaignDirectory(root);
            string recorded = RecordKernel(kernelRef, dir);
            var manifest = new CampaignManifest
            {
                Kernel = recorded,
                Seed = seed,
                Shard = shard,
                Workers = workers,
                BudgetSeconds = scenarios is null ? (long)(more ?? TimeSpan.FromMinutes(10)).TotalSeconds : more is { } t ? (long)t.TotalSeconds : null,
                ScenariosPerWorker = scenarios,
                MaxFailures = maxFailures,
                Oracle = oracle,
                Settings = settingsFile is null ? GeneratorSettings.Default : GeneratorSettings.Load(settingsFile),
                Created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            };
            dir.Create(manifest);
            more = null;
        }
        return Execute(dir, more);
    }

    private static int Execute(CampaignDirectory dir, TimeSpan? more)
    {
        CampaignManifest m = dir.LoadManifest();
        KernelDefinition kernel = KernelLoader.Load(m.Kernel, dir.FindingsDir);
        var runner = new CampaignRunner(dir, kernel);
        TimeSpan before = runner.PreviousElapsed;
        TimeSpan? duration = more ?? (m.BudgetSeconds is { } b ? TimeSpan.FromSeconds(b) - before : null);
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            Console.WriteLine($"fuzz campaign: {dir.Root} has used its budget ({Clock(before)}); give --minutes or --hours to run longer");
            return runner.Distinct == 0 ? 0 : 1;
        }

        Console.WriteLine($"fuzz campaign: {RunReportText(kernel)}, seed {Seeds.Format(m.Seed)}, shard {m.Shard}, {m.Workers} worker(s)");
        Console.WriteLine($"  directory {dir.Root}" + (before > TimeSpan.Zero ? $" (resumed after {Clock(before)}, {Fuzz.Search.Fuzzing.CauseText.Count(runner.Distinct, runner.Shapes)} so far)" : ""));
        Console.WriteLine($"  budget: {(duration is { } dd ? Clock(dd) : "")}{(m.ScenariosPerWorker is { } n ? $" {n:N0} scenarios per worker" : "")}" +
            (m.MaxFailures > 0 ? $", stop after {m.MaxFailures} distinct failure(s)" : "") + "; Ctrl-C stops cleanly, --resume continues");

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            cancel.Cancel();
        });
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
            cancel.Token);
        line.Break();
        Console.CancelKeyPress -= onCtrlC;

        string report = CampaignReport.Write(dir);
        Console.WriteLine(cancel.IsCancellationRequested ? "stopped; everything found is saved." : "done.");
        Console.WriteLine($"  {last.Scenarios:N0} scenarios in {Clock(last.Elapsed)}, {last.ScenariosPerSecond:N0} scenarios/s this session; " +
            $"races {last.RacePairs}/{last.RacePairsPossible}; peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F1} MiB");
        Console.WriteLine($"  {Fuzz.Search.Fuzzing.CauseText.Count(runner.Distinct, runner.Shapes)} in {dir.FindingsDir}");
        Console.WriteLine($"  report: {report}");
        if (runner.Distinct > 0) Console.WriteLine($"  promote one: dotnet run --project src/Fuzz -- promote {dir.FindingsDir}/FILE.scenario");
        Console.WriteLine($"  continue: dotnet run --project src/Fuzz -c Release -- campaign --resume {dir.Root} --hours 1");
        return runner.Distinct == 0 ? 0 : 1;
    }

    private static string RunReportText(KernelDefinition k) => Fuzz.Reporting.Text.RunReport.Describe(k);

    private static string Clock(TimeSpan t) => $"{(int)t.TotalHours:D2}:{t.Minutes:D2}:{t.Seconds:D2}";

    private static int ParsePositive(string text, string option)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1) throw new UsageException($"{option} takes a whole number from 1");
        return n;
    }

    /// <summary>
    /// How the campaign names its kernel: the built-in or a name from kernels/ stays a name; a kernel
    /// given by path is copied into findings/, so that the campaign (and every finding) replays
    /// wherever the directory goes.
    /// </summary>
    private static string RecordKernel(string kernelRef, CampaignDirectory dir)
    {
        if (!KernelLoader.IsPath(kernelRef)) return kernelRef;
        string source = KernelLoader.Find(kernelRef, Directory.GetCurrentDirectory()) ?? throw new FileNotFoundException($"kernel '{kernelRef}' not found");
        string name = Path.GetFileName(source);
        Directory.CreateDirectory(dir.FindingsDir);
        string dest = Path.Combine(dir.FindingsDir, name);
        if (!File.Exists(dest)) AtomicFile.CreateNew(dest, File.ReadAllText(source));
        return name;
    }

    /// <summary>campaigns/KERNEL-TIMESTAMP[-shard-i-of-n] in the repository (or the current directory).</summary>
    private static string DefaultDir(string kernelName, Shard shard)
    {
        string root = KernelLoader.RepoRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string name = $"{kernelName}-{stamp}" + (shard.Count > 1 ? $"-shard-{shard.Index}-of-{shard.Count}" : "");
        return Path.Combine(root, "campaigns", name);
    }
}
