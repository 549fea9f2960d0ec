using System.Globalization;
using System.Runtime.InteropServices;
using Fuzz.Campaigns;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Reporting.Text;
using Fuzz.Search.Fuzzing;
using Fuzz.Search.Verification;

namespace Fuzz.Commands;

/// <summary>
/// fuzz verify: every scenario of a scope, every interleaving, smallest first. Ends with
/// "complete: N scenarios, M states, 0 violations" or the smallest counterexample (fewest
/// operations, then fewest steps), normalised, shown as the table and saved. Ctrl-C or SIGTERM
/// stops after the scenarios in flight and keeps what is done; --resume continues.
/// Exit 0 complete, 1 counterexample, 3 stopped before the end (or a scenario beyond the scope's budget).
/// </summary>
internal static class VerifyCommand
{
    public const string Usage = """
        verify --scope FILE|NAME [--kernel K] [--workers N] [--seconds S | --minutes M | --hours H]
               [--shard i/n] [--dir DIR] [--save DIR]
        verify --resume DIR [--seconds S | --minutes M | --hours H] [--save DIR]
            Search every scenario of the scope (scopes/NAME.scope), every interleaving with
            every TLB/ATC fill and eviction, smallest first. Ends with "complete: N
            scenarios, M states, 0 violations" (exit 0) or the smallest counterexample,
            shown and saved (exit 1); exit 3 when stopped before the end. Ctrl-C or SIGTERM
            keeps what is done (default directory verifications/KERNEL-SCOPE-TIME).
        """;

    public static int Run(CliArgs args)
    {
        string? resume = args.Option("--resume");
        string? kernelRef = args.Option("--kernel");
        string? scopeRef = args.Option("--scope");
        long? workersGiven = args.LongOrNull("--workers", 1, CampaignLimits.MaxWorkers);
        string? shardText = args.Option("--shard");
        string? dirText = args.Option("--dir");
        string? saveDir = args.Option("--save");
        TimeSpan? budget = Budget(args);
        args.Positionals();

        VerifyDirectory dir;
        if (resume is not null)
        {
            if (new object?[] { kernelRef, scopeRef, workersGiven, shardText, dirText }.Any(o => o is not null))
                throw new UsageException("--resume takes only --seconds, --minutes, --hours and --save: the rest is in the run's verify.txt");
            dir = new VerifyDirectory(resume);
            using DirectoryLock resumed = dir.OpenLocked("resume");
            dir.RemoveTemporaryFiles();
            return Execute(dir, budget, saveDir);
        }
        else
        {
            kernelRef ??= KernelDefinition.FixedName;
            if (scopeRef is null) throw new UsageException("verify needs --scope FILE|NAME (shipped: " + string.Join(", ", ScopeLoader.Shipped(Directory.GetCurrentDirectory())) + ")");
            KernelLoader.Load(kernelRef, Directory.GetCurrentDirectory());
            string scopePath = ScopeLoader.Find(scopeRef, Directory.GetCurrentDirectory());
            string scopeText = TextFile.Read(scopePath);
            Scope scope = ScopeFile.Parse(scopeText, scopePath);
            Shard shard = Shard.Whole;
            if (shardText is not null && !Shard.TryParse(shardText, out shard))
                throw new UsageException($"--shard takes i/n with 0 <= i < n <= {CampaignLimits.MaxShards}, e.g. 0/4, not '{Token.Show(shardText)}'");
            int workers = (int)(workersGiven ?? Math.Min(Environment.ProcessorCount, CampaignLimits.MaxWorkers));
            var (recorded, kernelFile) = RecordKernel(kernelRef);
            // Everything is checked by now; the directory is claimed, locked and written only from here on.
            dir = new VerifyDirectory(dirText ?? DefaultDir(kernelRef, scope.Name, shard));
            using DirectoryLock created = dir.CreateLocked(new VerifyManifest
            {
                Kernel = recorded,
                ScopeName = scope.Name,
                ScopeHash = ScenarioHash.Fnv1a(scopeText),
                Shard = shard,
                Workers = workers,
                BudgetSeconds = budget is { } b ? (long)b.TotalSeconds : null,
                Created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            }, scopeText, kernelFile);
            return Execute(dir, budget, saveDir);
        }
    }

    private static int Execute(VerifyDirectory dir, TimeSpan? budget, string? saveDir)
    {
        VerifyManifest m = dir.LoadManifest();
        Scope scope = dir.LoadScope();
        if (ScenarioHash.Fnv1a(File.ReadAllText(dir.ScopePath)) != m.ScopeHash) throw new FileFormatException(dir.ScopePath, 0, "the scope file changed since the run started");
        KernelDefinition kernel = KernelLoader.Load(m.Kernel, dir.FindingsDir);
        var runner = new VerifyRunner(new VerifyOptions { Kernel = kernel, KernelRef = m.Kernel, Scope = scope, Workers = m.Workers, Shard = m.Shard }, dir);
        VerifyProgress before = runner.Progress(TimeSpan.Zero);
        Console.WriteLine($"fuzz verify: {RunReport.Describe(kernel)}, scope {scope.Name}: {runner.Total:N0} scenarios" +
            (m.Shard.Count > 1 ? $" in shard {m.Shard}" : "") + $", {m.Workers} worker(s)" +
            (scope.Preemptions is { } pre ? $"; paths with at most {pre} preemption(s)" : ""));
        foreach (string text in scope.Description) Console.WriteLine("  " + text);
        Console.WriteLine($"  directory {dir.Root}" + (before.Done > 0 ? $" (resumed: {before.Done:N0} scenarios already searched)" : "") +
            "; Ctrl-C stops and keeps what is done, --resume continues");

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
        VerifyProgress last = before;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        runner.Run(budget, p =>
        {
            last = p;
            line.Update($"  {Clock(p.Elapsed)}  scenarios {p.Done:N0}/{p.Total:N0}  states {p.States:N0}  {(p.States - before.States) / Math.Max(1e-9, p.Elapsed.TotalSeconds),9:N0} states/s" +
                (p.Best is { } b ? $"  smallest counterexample: {b.Ops} ops, {b.Depth} steps" : ""));
        }, cancel.Token);
        line.Break();
        Console.CancelKeyPress -= onCtrlC;
        double seconds = Math.Max(1e-9, clock.Elapsed.TotalSeconds);
        double ratio = last.Transitions == 0 ? 1 : (double)(last.Transitions + last.Pruned) / last.Transitions;
        string figures = $"{(last.States - before.States) / seconds:N0} states/s on {m.Workers} worker(s) this session ({clock.Elapsed.TotalSeconds:F1} s); " +
            $"reduction ratio {ratio:F2} (actions enabled in the states searched / actions taken); " +
            $"{last.BytesPerState:F0} bytes per stored state (largest scenario), peak {last.PeakBytes / (1024.0 * 1024):F0} MiB for one scenario";

        if (runner.Best is { } best)
        {
            return ReportCounterexample(runner, best, kernel, scope, m, dir, saveDir, figures, runner.Finished);
        }
        if (!runner.Finished || last.Limits > 0)
        {
            Console.WriteLine($"incomplete: {last.Done:N0} of {last.Total:N0} scenarios searched, {last.States:N0} states, no violation so far" +
                (last.Limits > 0 ? $"; {last.Limits} scenario(s) beyond the scope's budget or the model's limits (see {dir.ResultsPath})" : ""));
            Console.WriteLine($"  {figures}");
            Console.WriteLine($"  continue: dotnet run --project src/Fuzz -c Release -- verify --resume {dir.Root}");
            return 3;
        }
        Console.WriteLine($"complete: {last.Total:N0} scenarios, {last.States:N0} states, 0 violations" +
            (scope.Preemptions is { } limit ? $" on the paths with at most {limit} preemption(s)" : ""));
        Console.WriteLine($"  {figures}");
        return 0;
    }

    private static int ReportCounterexample(VerifyRunner runner, ScenarioResult best, KernelDefinition kernel, Scope scope, VerifyManifest m, VerifyDirectory dir, string? saveDir, string figures, bool finished)
    {
        Scenario scenario = runner.ScenarioAt(best.Index);
        Counterexample c;
        try
        {
            c = Counterexample.Of(kernel, scenario, best, scope.Preemptions);
        }
        catch (InvalidOperationException e)
        {
            // A search whose counterexample does not replay is a defect of the tool, never a verdict.
            Console.Error.WriteLine($"fuzz verify: internal error: {e.Message}");
            Console.Error.WriteLine(ScenarioWriter.Write(scenario));
            return 2;
        }
        Console.WriteLine($"counterexample: {OracleNames.Name(c.Oracle)}, {best.Ops} operations, {best.Depth} steps (scenario {best.Index} of scope {m.ScopeName})" +
            (finished ? ", the smallest in the scope" : ", the smallest among the scenarios searched so far") +
            (scope.Preemptions is { } bound ? $" with at most {bound} preemption(s)" : ""));
        var r = Fuzz.Model.Simulation.Replayer.Run(c.Normalized, kernel);
        for (int i = 0; i < r.Sim.Violations.Count; i++) Console.WriteLine("  " + ViolationText.Describe(r.Sim, r.Sim.Violations[i]));
        Console.WriteLine();
        foreach (string l in TableRenderer.Render(r.Sim, showLocal: false)) Console.WriteLine(l);
        Console.WriteLine();
        Finding f = c.ToFinding(best.Index, TimeSpan.Zero);
        string regenerate = $"dotnet run --project src/Fuzz -c Release -- verify --kernel {m.Kernel} --scope {m.ScopeName} (scenario {best.Index})";
        foreach (string target in new[] { dir.FindingsDir }.Concat(saveDir is null ? [] : [saveDir]))
        {
            RegressionStore.Saved saved = RegressionStore.Save(target, f, kernel, "fuzz verify", DateOnly.FromDateTime(DateTime.UtcNow), regenerate: regenerate);
            string shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), saved.Path);
            Console.WriteLine(saved.New ? $"saved: {shown}" : $"already saved: {shown}");
            Console.WriteLine($"replay: dotnet run --project src/Fuzz -- replay {shown}");
        }
        Console.WriteLine($"  {figures}");
        return 1;
    }

    private static TimeSpan? Budget(CliArgs args)
    {
        int? seconds = Positive(args.Option("--seconds"), "--seconds");
        int? minutes = Positive(args.Option("--minutes"), "--minutes");
        int? hours = Positive(args.Option("--hours"), "--hours");
        if (new[] { seconds, minutes, hours }.Count(x => x is not null) > 1) throw new UsageException("give one of --seconds, --minutes, --hours");
        return seconds is { } s ? TimeSpan.FromSeconds(s) : minutes is { } mi ? TimeSpan.FromMinutes(mi) : hours is { } h ? TimeSpan.FromHours(h) : null;
    }

    private static int? Positive(string? text, string option)
    {
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1) throw new UsageException($"{option} takes a whole number from 1");
        return n;
    }

    private static string Clock(TimeSpan t) => $"{(int)t.TotalHours:D2}:{t.Minutes:D2}:{t.Seconds:D2}";

    /// <summary>A kernel given by path is copied into findings/, so that the run (and its finding) replays wherever the directory goes.</summary>
    /// <summary>The kernel as verify.txt names it, and its file to copy beside the findings when it was given by path.</summary>
    private static (string Recorded, (string Name, string Text)? File) RecordKernel(string kernelRef)
    {
        if (!KernelLoader.IsPath(kernelRef)) return (kernelRef, null);
        string source = KernelLoader.Find(kernelRef, Directory.GetCurrentDirectory()) ?? throw new InputException($"kernel '{Token.Show(kernelRef)}' not found");
        string name = Path.GetFileName(source);
        return (name, (name, TextFile.Read(source)));
    }

    /// <summary>verifications/KERNEL-SCOPE-TIMESTAMP[-shard-i-of-n] in the repository (or the current directory).</summary>
    private static string DefaultDir(string kernelRef, string scope, Shard shard)
    {
        string root = KernelLoader.RepoRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string kernel = RegressionStore.Safe(Path.GetFileNameWithoutExtension(kernelRef));
        return Path.Combine(root, "verifications", $"{kernel}-{scope}-{stamp}" + (shard.Count > 1 ? $"-shard-{shard.Index}-of-{shard.Count}" : ""));
    }
}
