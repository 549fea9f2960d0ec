using System.Diagnostics;
using Fuzz.Formats.Scenarios;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Campaigns;

/// <summary>
/// Runs (or resumes) a campaign: one fuzz loop per worker thread over the worker's own slice of the
/// scenario index space, each failure shrunk by the worker that found it and saved at once if no
/// worker saved it before (oracle plus canonical scenario), checkpoints every few seconds, a
/// timeline sample every ten. Stops at the time or scenario budget, at the distinct-failure limit,
/// or when cancelled (Ctrl-C, SIGTERM), after each worker finishes its current scenario.
/// </summary>
public sealed class CampaignRunner
{
    private readonly CampaignDirectory _dir;
    private readonly CampaignManifest _m;
    private readonly KernelDefinition _kernel;
    private readonly object _gate = new();
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<FindingRecord> _records;
    private readonly RootCauses _causes = new();
    private readonly WorkerCheckpoint[] _baseline;
    private readonly FuzzRunner?[] _runners;
    private readonly CampaignTimeline _timeline;

    /// <summary>How often workers checkpoint and the timeline is sampled.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Called with (worker, scenario seed) after each scenario (tests of the shards' disjointness).</summary>
    public Action<int, ulong>? Observer { get; init; }

    /// <summary>A runner over a directory whose lock <paramref name="dir"/> holds (CreateLocked or OpenLocked).</summary>
    public CampaignRunner(CampaignDirectory dir, KernelDefinition kernel)
    {
        if (!dir.IsLocked) throw new InvalidOperationException($"{dir.Root}: lock the campaign (CreateLocked or OpenLocked) before running it");
        _dir = dir;
        _m = dir.LoadManifest();
        _kernel = kernel;
        _records = dir.LoadIndex().Select(r => CampaignCauses.Complete(dir, r)).ToList();
        foreach (FindingRecord r in _records)
        {
            Scenario s = ScenarioParser.Load(Path.Combine(dir.FindingsDir, r.File));
            _keys.Add(ScenarioHash.FailureKey(r.Oracle, s));
            _causes.Add(CampaignCauses.ShapeOf(r));
        }
        _baseline = new WorkerCheckpoint[_m.Workers];
        for (int w = 0; w < _m.Workers; w++)
            _baseline[w] = dir.LoadCheckpoint(w) ?? new WorkerCheckpoint(w, 0, 0, new FuzzStats());
        _runners = new FuzzRunner?[_m.Workers];
        _timeline = CampaignTimeline.Load(dir.TimelinePath);
    }

    /// <summary>Distinct failures: root causes (<see cref="RootCauses"/>).</summary>
    public int Distinct
    {
        get
        {
            lock (_gate) return _causes.Count;
        }
    }

    /// <summary>Counterexamples saved: every shape of every cause.</summary>
    public int Shapes
    {
        get
        {
            lock (_gate) return _records.Count;
        }
    }

    /// <summary>Where a saved finding belongs: "cause 2 (new)", "shape 3 of cause 1".</summary>
    public string CauseNote(FindingRecord r)
    {
        lock (_gate)
        {
            IReadOnlyList<RootCauses.Cause> causes = _causes.Group();
            for (int k = 0; k < causes.Count; k++)
            {
                int shape = causes[k].Shapes.ToList().FindIndex(x => x.Id == r.File);
                if (shape < 0) continue;
                return causes[k].Shapes.Count == 1 ? $"cause {k + 1} (new)" : $"shape {shape + 1} of {causes[k].Shapes.Count} of cause {k + 1}";
            }
            return "";
        }
    }

    /// <summary>
    /// Wall-clock time the campaign has run in earlier sessions. The timeline is sampled every 10 s
    /// and checkpoints are written every 5 s; after a kill -9 the later of the two counts.
    /// </summary>
    public TimeSpan PreviousElapsed => TimeSpan.FromMilliseconds(Math.Max(_timeline.LastElapsedMs, _baseline.Max(c => c.ElapsedMs)));

    /// <summary>Run for at most <paramref name="duration"/> (null: until the scenario budget or the failure limit).</summary>
    public void Run(TimeSpan? duration, Action<CampaignProgress>? progress = null, Action<FindingRecord>? found = null, CancellationToken cancel = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (_m.MaxFailures > 0 && Distinct >= _m.MaxFailures) return;
        var clock = Stopwatch.StartNew();
        TimeSpan before = PreviousElapsed;
        var threads = new Thread[_m.Workers];
        for (int w = 0; w < _m.Workers; w++)
        {
            int worker = w;
            threads[w] = new Thread(() => Guarded(worker, clock, stop, found), 16 * 1024 * 1024) { IsBackground = true, Name = $"campaign-{w}" };
            threads[w].Start();
        }
        TimeSpan nextSample = TimeSpan.Zero;
        while (threads.Any(t => t.IsAlive))
        {
            if (duration is { } d && clock.Elapsed >= d) stop.Cancel();
            if (clock.Elapsed >= nextSample)
            {
                AddSample(before + clock.Elapsed);
                nextSample = clock.Elapsed + SampleInterval;
            }
            progress?.Invoke(Progress(before, clock.Elapsed, duration));
            // One wait per round, not one per worker: the budget, progress and samples are checked every 250 ms.
            Array.Find(threads, t => t.IsAlive)?.Join(TimeSpan.FromMilliseconds(250));
        }
        AddSample(before + clock.Elapsed);
        progress?.Invoke(Progress(before, clock.Elapsed, duration));
        // A worker's failure (a full disk, say) stops the others and is the caller's, not an unhandled thread exception.
        if (_failure is { } e) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
    }

    private Exception? _failure;

    private void Guarded(int w, Stopwatch clock, CancellationTokenSource stop, Action<FindingRecord>? found)
    {
        try
        {
            Work(w, clock, stop, found);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            stop.Cancel();
        }
    }

    private void Work(int w, Stopwatch clock, CancellationTokenSource stop, Action<FindingRecord>? found)
    {
        WorkerCheckpoint start = _baseline[w];
        long? budget = _m.ScenariosPerWorker is { } per ? Math.Max(0, per - start.Done) : null;
        if (budget == 0) return;
        var runner = new FuzzRunner(new FuzzOptions
        {
            Kernel = _kernel,
            KernelRef = _m.Kernel,
            Settings = _m.Settings,
            Seed = _m.Seed,
            FirstIndex = _m.Shard.FirstIndex(w, _m.Workers, start.Done),
            Stride = _m.Shard.Stride(_m.Workers),
            MaxScenarios = budget,
            MaxFailures = 0,
            Oracle = _m.Oracle,
            ProgressInterval = CheckpointInterval,
            Observer = Observer is { } observe ? seed => observe(w, seed) : null,
        });
        Volatile.Write(ref _runners[w], runner);
        runner.Run(
            _ => _dir.SaveCheckpoint(Checkpoint(w, runner, clock)),
            f => Save(w, f, stop, found),
            stop.Token);
        _dir.SaveCheckpoint(Checkpoint(w, runner, clock));
    }

    private WorkerCheckpoint Checkpoint(int w, FuzzRunner runner, Stopwatch clock)
    {
        WorkerCheckpoint start = _baseline[w];
        FuzzStats stats = start.Stats.Clone();
        stats.Add(runner.Stats);
        return new WorkerCheckpoint(w, start.Done + runner.IndicesUsed, start.ElapsedMs + (long)clock.Elapsed.TotalMilliseconds, stats);
    }

    /// <summary>A worker found a failure: save it unless another worker (or an earlier session) did.</summary>
    private void Save(int w, Finding f, CancellationTokenSource stop, Action<FindingRecord>? found)
    {
        FindingRecord record;
        lock (_gate)
        {
            if (!_keys.Add(ScenarioHash.FailureKey(f.Oracle, f.Shrunk))) return;
            if (_m.MaxFailures > 0 && _causes.Count >= _m.MaxFailures) return;
            RegressionStore.Saved saved = RegressionStore.Save(_dir.FindingsDir, f, _kernel, $"fuzz campaign (worker {w})",
                DateOnly.FromDateTime(DateTime.UtcNow),
                regenerate: Regenerate(f));
            record = new FindingRecord(Path.GetFileName(saved.Path), f.Oracle, w, f.ScenarioSeed,
                _baseline[w].Done + f.FoundAfterScenarios, _baseline[w].ElapsedMs + (long)f.FoundAfter.TotalMilliseconds,
                (long)f.ShrinkTime.TotalMilliseconds, f.Original.OperationCount, f.Shrunk.OperationCount)
            {
                Steps = f.Steps,
                Cause = f.Cause?.Parts,
            };
            record = CampaignCauses.Complete(_dir, record);
            _records.Add(record);
            _causes.Add(CampaignCauses.ShapeOf(record));
            _dir.SaveIndex(_records);
            if (_m.MaxFailures > 0 && _causes.Count >= _m.MaxFailures) stop.Cancel();
        }
        found?.Invoke(record);
    }

    /// <summary>The command that regenerates a finding's unshrunk scenario: the kernel and settings by their files in this directory when they are files.</summary>
    private string Regenerate(Finding f)
    {
        bool file = _m.Kernel.EndsWith(".kernel", StringComparison.Ordinal) && !_m.Kernel.Contains('/');
        return $"dotnet run --project src/Fuzz -c Release -- run --kernel {(file ? Path.Combine(_dir.FindingsDir, _m.Kernel) : _m.Kernel)} --scenario-seed {Seeds.Format(f.ScenarioSeed)}" +
            (_m.Settings == GeneratorSettings.Default ? "" : $" --settings {_dir.SettingsPath}") +
            (_m.Oracle is { } o ? $" --oracle {OracleNames.Name(o)}" : "");
    }

    private (long Scenarios, long Ticks) Totals()
    {
        long scenarios = 0, ticks = 0;
        for (int w = 0; w < _m.Workers; w++)
        {
            scenarios += _baseline[w].Done;
            ticks += _baseline[w].Stats.Ticks;
            if (Volatile.Read(ref _runners[w]) is { } r)
            {
                scenarios += r.Stats.Scenarios;
                ticks += r.Stats.Ticks;
            }
        }
        return (scenarios, ticks);
    }

    private CampaignProgress Progress(TimeSpan before, TimeSpan session, TimeSpan? duration)
    {
        long scenarios = Totals().Scenarios;
        long sessionScenarios = 0;
        var all = new FuzzStats();
        for (int w = 0; w < _m.Workers; w++)
        {
            all.Add(_baseline[w].Stats);
            if (Volatile.Read(ref _runners[w]) is { } r)
            {
                sessionScenarios += r.Stats.Scenarios;
                all.Add(r.Stats);
            }
        }
        TimeSpan? remaining = duration is { } d ? (d - session) < TimeSpan.Zero ? TimeSpan.Zero : d - session : null;
        return new CampaignProgress(before + session, remaining, scenarios, sessionScenarios / Math.Max(1e-9, session.TotalSeconds),
            Distinct, all.RacePairsSeen, FuzzStats.RacePairsPossible) { Shapes = Shapes };
    }

    private void AddSample(TimeSpan elapsed)
    {
        var (scenarios, ticks) = Totals();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        _timeline.Samples.Add(new CampaignTimeline.Sample((long)elapsed.TotalMilliseconds, scenarios, ticks, Distinct, self.WorkingSet64, self.PeakWorkingSet64));
        _dir.SaveTimeline(_timeline);
    }
}
