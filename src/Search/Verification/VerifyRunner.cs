using System.Diagnostics;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Scenarios;

namespace Fuzz.Search.Verification;

/// <summary>
/// Searches every scenario of a scope (this shard's), smallest first, on several workers. Once a
/// counterexample with k operations is known, scenarios with more operations are not searched and
/// those with k are searched only as deep as the shortest counterexample so far; the answer is
/// the least (operations, steps, scenario index), which does not depend on the number of workers
/// or on who searched what. Results are kept per scenario (and in a directory, when given), so a
/// stopped run resumes where it was.
/// <para>
/// Two passes. The first searches every scenario only <see cref="VerifyOptions.FirstPassDepth"/>
/// steps deep, the scenarios of one operation count level by level together
/// (VerifyRunner.FirstPass.cs), so that none goes deeper than the shortest counterexample among
/// them: a counterexample that short is found there, and a scenario without one within that
/// depth cannot beat it (breadth first finds a scenario's shortest counterexample within any
/// depth bound). The second searches whole the scenarios the first cut short and that can still
/// matter: fewer operations than the best, or as many while the best is deeper than the first pass
/// went. Scenarios with a few operations then no longer wait for large ones with no violation.
/// </para>
/// </summary>
public sealed partial class VerifyRunner
{
    private readonly VerifyOptions _o;
    private readonly VerifyDirectory? _dir;
    private readonly List<(int Index, Scenario Scenario)> _todo = new();
    private readonly object _gate = new();
    private readonly List<ScenarioResult> _results;
    private ScenarioResult? _best;
    private int _next = -1;
    // Cut short by the first pass: searched again whole in the second if they can still matter.
    private readonly List<(int Index, Scenario Scenario, ScenarioResult Shallow)> _deferred = new();
    private List<(int Index, Scenario Scenario)> _queue;
    private bool _secondPass;
    private long _shallowStates, _shallowTransitions, _shallowPruned;
    // Explorers the first pass cut short, kept (within VerifyOptions.ParkMemory) for the second to go on from.
    private readonly Dictionary<int, Explorer> _parked = new();
    private long _parkedBytes;
    // Explorers searching now, with the work already counted elsewhere (a parked one's first pass), so that progress shows their states as they go.
    private readonly List<(Explorer Explorer, long States, long Transitions, long Pruned)> _running = new();
    // Work on scenarios stopped before their end (time budget, Ctrl-C): searched, not a result.
    private long _stoppedStates, _stoppedTransitions, _stoppedPruned, _stoppedLargest, _stoppedPeak;
    private double _stoppedPerState;
    private readonly Dictionary<int, StepCoverage> _coverageBy = new();

    public VerifyRunner(VerifyOptions options, VerifyDirectory? dir = null)
    {
        _o = options;
        _dir = dir;
        _results = dir?.LoadResults() ?? new List<ScenarioResult>();
        var done = _results.Select(r => r.Index).ToHashSet();
        int index = 0;
        foreach (Scenario s in ScopeEnumerator.Enumerate(options.Scope, options.KernelRef))
        {
            bool mine = index % options.Shard.Count == options.Shard.Index;
            if (mine && options.Include is { } include && !include(index)) Excluded++;
            else if (mine)
            {
                Total++;
                if (!done.Contains(index)) _todo.Add((index, s));
            }
            index++;
        }
        foreach (ScenarioResult r in _results) Consider(r);
        _queue = _todo;
    }

    /// <summary>Scenarios of this shard to search.</summary>
    public int Total { get; }

    /// <summary>Scenarios of this shard that <see cref="VerifyOptions.Include"/> leaves out.</summary>
    public int Excluded { get; }

    /// <summary>
    /// Per scenario of the scope, the (recipe, step) pairs that ran in its search in this session,
    /// for a scenario searched to its end without a violation; null for the others (not searched,
    /// cut short, beyond the budget, or violated), which must be taken to reach anything.
    /// </summary>
    public StepCoverage?[] CoverageByScenario(int scenarios)
    {
        var by = new StepCoverage?[scenarios];
        lock (_gate)
        {
            foreach (ScenarioResult r in _results)
            {
                if (r.Verdict == ExploreVerdict.Complete && r.Index < scenarios && _coverageBy.TryGetValue(r.Index, out StepCoverage? c)) by[r.Index] = c;
            }
        }
        return by;
    }

    /// <summary>The (recipe, step) pairs that ran in the scenarios searched in this session.</summary>
    public StepCoverage Coverage { get; } = new();

    public IReadOnlyList<ScenarioResult> Results
    {
        get
        {
            lock (_gate) return _results.ToList();
        }
    }

    public ScenarioResult? Best
    {
        get
        {
            lock (_gate) return _best;
        }
    }

    /// <summary>The scenario with this index in the scope.</summary>
    public Scenario ScenarioAt(int index) =>
        ScopeEnumerator.Enumerate(_o.Scope, _o.KernelRef).ElementAt(index);

    public void Run(TimeSpan? duration, Action<VerifyProgress>? progress = null, CancellationToken cancel = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var clock = Stopwatch.StartNew();
        TimeSpan nextSave = _o.CheckpointInterval;
        for (int pass = 0; pass < 2 && !stop.IsCancellationRequested; pass++)
        {
            _secondPass = pass == 1;
            if (_secondPass)
            {
                // Fewest operations first (a counterexample there makes larger scenarios unneeded); within
                // an operation count, the largest first by the first pass's states, so that the last
                // scenario to finish is a small one and no worker is left alone with a large one.
                _deferred.Sort((a, b) => a.Scenario.OperationCount != b.Scenario.OperationCount ? a.Scenario.OperationCount.CompareTo(b.Scenario.OperationCount)
                    : a.Shallow.States != b.Shallow.States ? b.Shallow.States.CompareTo(a.Shallow.States) : a.Index.CompareTo(b.Index));
                _queue = _deferred.Select(d => (d.Index, d.Scenario)).ToList();
            }
            _next = -1;
            // The first pass coordinates its own workers (VerifyRunner.FirstPass.cs); the second hands out scenarios.
            var threads = new Thread[_secondPass ? Math.Max(1, Math.Min(_o.Workers, Math.Max(1, _queue.Count))) : 1];
            for (int w = 0; w < threads.Length; w++)
            {
                threads[w] = _secondPass
                    ? new Thread(() => Work(stop.Token), StackSize) { IsBackground = true, Name = $"verify-{w}" }
                    : new Thread(() => FirstPass(stop.Token), StackSize) { IsBackground = true, Name = "verify-first-pass" };
                threads[w].Start();
            }
            while (threads.Any(t => t.IsAlive))
            {
                if (duration is { } d && clock.Elapsed >= d) stop.Cancel();
                progress?.Invoke(Progress(clock.Elapsed));
                if (_dir is not null && clock.Elapsed >= nextSave)
                {
                    _dir.SaveResults(Results);
                    nextSave = clock.Elapsed + _o.CheckpointInterval;
                }
                Array.Find(threads, t => t.IsAlive)?.Join(TimeSpan.FromMilliseconds(250));
            }
        }
        _dir?.SaveResults(Results);
        progress?.Invoke(Progress(clock.Elapsed));
    }

    /// <summary>The second pass: each scenario the first cut short, searched whole unless it can no longer beat the best.</summary>
    private void Work(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            int pos = Interlocked.Increment(ref _next);
            if (pos >= _queue.Count) return;
            var (index, scenario) = _queue[pos];
            ScenarioResult? best = Best;
            int ops = scenario.OperationCount;
            Explorer? parked = Unpark(index);
            // Only a smaller counterexample matters now: fewer operations, or as many and at most as many steps.
            if (best is not null && ops > best.Ops) continue;
            int maxDepth = MaxDepthFor(ops, best);
            ScenarioResult shallow = _deferred.First(d => d.Index == index).Shallow;
            if (maxDepth <= _o.FirstPassDepth)
            {
                // The first pass already went as deep as the best counterexample: nothing shorter here.
                // Its result becomes final, and its states move from the first pass's count to the results' (counted once).
                RecordShallow(shallow);
                continue;
            }
            int depth = Math.Min(maxDepth, _o.Explore.MaxDepth);
            // Going on from the first pass's frontier gives the answer a fresh search to that depth gives (Explorer.Advance), without searching its levels again.
            Explorer explorer = parked ?? new Explorer(_o.Kernel, scenario, _o.Explore with { MaxDepth = depth, MaxStates = _o.Scope.MaxStates, Preemptions = _o.Scope.Preemptions });
            Running(explorer, parked is not null ? shallow : null);
            ExploreResult r = Deepen(explorer, ops, depth, cancel);
            Ended(explorer, stopped: r.Verdict == ExploreVerdict.Cancelled);
            if (r.Verdict == ExploreVerdict.Cancelled) return;
            if (parked is not null) RecordContinued(ResultOf(index, scenario, r), shallow, r);
            else Record(ResultOf(index, scenario, r), null, r);
        }
    }

    /// <summary>
    /// Search on one level at a time up to <paramref name="depth"/>, or less once another worker's
    /// counterexample makes the deeper levels useless: a scenario begun before any counterexample
    /// was known stops at the best's depth (or at once, when the best has fewer operations),
    /// with the result a search to that depth gives.
    /// </summary>
    private ExploreResult Deepen(Explorer explorer, int ops, int depth, CancellationToken cancel)
    {
        while (true)
        {
            ScenarioResult? best = Best;
            int limit = best is not null && best.Ops < ops ? explorer.Level : Math.Min(depth, MaxDepthFor(ops, best));
            ExploreResult r = explorer.Advance(Math.Min(limit, explorer.Level + 1), cancel);
            if (!explorer.CanAdvance || explorer.Level >= limit) return r;
        }
    }

    private void Running(Explorer explorer, ScenarioResult? counted = null)
    {
        lock (_gate) _running.Add((explorer, counted?.States ?? 0, counted?.Transitions ?? 0, counted?.Pruned ?? 0));
    }

    /// <summary>An explorer's search ended: its work is a result's now, or (<paramref name="stopped"/>) work on a scenario left unfinished.</summary>
    private void Ended(Explorer explorer, bool stopped)
    {
        lock (_gate)
        {
            int i = _running.FindIndex(x => x.Explorer == explorer);
            if (i < 0) return;
            if (stopped)
            {
                var (states, transitions, pruned) = explorer.Work;
                _stoppedStates += states - _running[i].States;
                _stoppedTransitions += transitions - _running[i].Transitions;
                _stoppedPruned += pruned - _running[i].Pruned;
                _stoppedPeak = Math.Max(_stoppedPeak, explorer.Bytes);
                if (states > _stoppedLargest && states > 0)
                {
                    _stoppedLargest = states;
                    _stoppedPerState = (double)explorer.StoredBytes / states;
                }
            }
            _running.RemoveAt(i);
        }
    }

    /// <summary>Keep a first-pass explorer the pass cut short, if the budget allows.</summary>
    private void Park(int index, Explorer explorer)
    {
        lock (_gate)
        {
            long bytes = explorer.Bytes;
            if (_parkedBytes + bytes > _o.ParkMemory) return;
            _parked[index] = explorer;
            _parkedBytes += bytes;
        }
    }

    private Explorer? Unpark(int index)
    {
        lock (_gate)
        {
            if (!_parked.Remove(index, out Explorer? e)) return null;
            _parkedBytes -= e.Bytes;
            return e;
        }
    }

    /// <summary>How deep a scenario of <paramref name="ops"/> operations needs searching: as deep as the best counterexample of as many operations, else to its end.</summary>
    private static int MaxDepthFor(int ops, ScenarioResult? best) => best is not null && ops == best.Ops ? best.Depth : int.MaxValue;

    private static ScenarioResult ResultOf(int index, Scenario scenario, ExploreResult r) =>
        new(index, r.Verdict, r.States, r.Transitions, r.Pruned, r.Verdict == ExploreVerdict.Violation ? r.Path.Count : r.Depth, scenario.OperationCount)
        {
            Oracle = r.Oracle,
            Code = r.Code,
            Schedule = string.Join(' ', ScheduleText.FormatAll(r.Path, scenario.Layout)),
            Reason = r.LimitReason ?? "",
            PeakBytes = r.PeakBytes,
            BytesPerState = r.BytesPerState,
        };

    private void Record(ScenarioResult result, Scenario? deferred, ExploreResult? searched = null)
    {
        lock (_gate)
        {
            if (searched is not null)
            {
                Coverage.UnionWith(searched.Coverage);
                if (_coverageBy.TryGetValue(result.Index, out StepCoverage? c)) c.UnionWith(searched.Coverage);
                else _coverageBy[result.Index] = searched.Coverage.Copy();
            }
            if (deferred is not null)
            {
                _deferred.Add((result.Index, deferred, result));
                _shallowStates += result.States;
                _shallowTransitions += result.Transitions;
                _shallowPruned += result.Pruned;
                return;
            }
            _results.Add(result);
            Consider(result);
        }
    }

    /// <summary>A parked scenario searched on: its result counts every state, the first pass's among them.</summary>
    private void RecordContinued(ScenarioResult result, ScenarioResult shallow, ExploreResult searched)
    {
        lock (_gate)
        {
            _shallowStates -= shallow.States;
            _shallowTransitions -= shallow.Transitions;
            _shallowPruned -= shallow.Pruned;
        }
        Record(result, null, searched);
    }

    private void RecordShallow(ScenarioResult shallow)
    {
        lock (_gate)
        {
            _shallowStates -= shallow.States;
            _shallowTransitions -= shallow.Transitions;
            _shallowPruned -= shallow.Pruned;
            _results.Add(shallow);
            Consider(shallow);
        }
    }

    private void Consider(ScenarioResult r)
    {
        if (r.Verdict == ExploreVerdict.Violation && (_best is null || ScenarioResult.Smaller(r, _best))) _best = r;
    }

    public VerifyProgress Progress(TimeSpan elapsed)
    {
        lock (_gate)
        {
            // Besides the results: the first pass's work on scenarios it cut short, work on scenarios
            // stopped before their end, and the states of the searches running now (those were searched).
            long states = _shallowStates + _stoppedStates, transitions = _shallowTransitions + _stoppedTransitions, pruned = _shallowPruned + _stoppedPruned;
            // The memory figures are the largest scenario's, finished or running.
            ScenarioResult? largest = _results.Where(r => r.BytesPerState > 0).MaxBy(r => r.States);
            long largestStates = largest?.States ?? 0, peak = Math.Max(_stoppedPeak, _results.Count == 0 ? 0 : _results.Max(r => r.PeakBytes));
            double perState = largest?.BytesPerState ?? 0;
            if (_stoppedLargest > largestStates)
            {
                largestStates = _stoppedLargest;
                perState = _stoppedPerState;
            }
            foreach (var (explorer, s, t, p) in _running)
            {
                var work = explorer.Work;
                states += work.States - s;
                transitions += work.Transitions - t;
                pruned += work.Pruned - p;
                peak = Math.Max(peak, explorer.Bytes);
                if (work.States > largestStates)
                {
                    largestStates = work.States;
                    perState = (double)explorer.StoredBytes / work.States;
                }
            }
            return new VerifyProgress(_results.Count, Total, _results.Sum(r => r.States) + states, _results.Sum(r => r.Transitions) + transitions,
                _results.Sum(r => r.Pruned) + pruned, elapsed, _best, _results.Count(r => r.Verdict == ExploreVerdict.Limit), peak, perState);
        }
    }

    /// <summary>
    /// Whether every scenario of the shard is accounted for: searched to its end, or not needed
    /// (more operations than the smallest counterexample).
    /// </summary>
    public bool Finished
    {
        get
        {
            lock (_gate)
            {
                var done = _results.Select(r => r.Index).ToHashSet();
                return _todo.All(t => done.Contains(t.Index) || (_best is not null && t.Scenario.OperationCount > _best.Ops));
            }
        }
    }
}
