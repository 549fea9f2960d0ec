using System.Runtime.CompilerServices;
using System.IO.Hashing;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Verification;

/// <summary>
/// Every interleaving of one scenario: agent steps and hardware fills and evictions, breadth first,
/// so that the first violation found has a shortest schedule. States are kept as fingerprints of
/// their canonical encoding (<see cref="StateCodec"/>); the states of the next level as encodings,
/// decoded when expanded. A violation ends its path (the state after it is not expanded), so what
/// the search reports is every kind of first violation reachable.
/// <para>
/// Reduction: sleep sets (Godefroid 1996). At each state hardware actions are taken before agent
/// steps, and an action taken earlier from the same state stays asleep in a later sibling's
/// successor while the sibling is independent of it (<see cref="HardwareFootprints"/>: different
/// cache entries, or an agent step whose footprint misses the hardware action's side or level; ActionSpace.Independent): the state after
/// both is reached through the earlier sibling, on a path of the same length. Steps of two agents
/// are always treated as dependent. Sleep sets save actions, not states: every reachable state is
/// still visited, at its breadth-first depth, which the test comparing reduced and unreduced runs
/// checks state by state. A state reached again on a path of the same length keeps only what both
/// paths' sleep sets cover; reached on a longer path it is not expanded again (anything a longer
/// path could still reach is reached no later through the shorter one).
/// </para>
/// <para>
/// Preemption bound (<see cref="ExploreOptions.Preemptions"/>): a state is the machine's with the
/// agent that took the last agent step and the preemptions spent, two bytes after its encoding.
/// Sleep sets are off then: swapping an agent step with a hardware walk, command or completion
/// can change whether a third agent is blocked, and so what a later switch costs. The persistent
/// set is kept: the optional hardware it leaves out never enables or blocks an agent, so moving
/// it after an agent step changes no switch's cost.
/// </para>
/// </summary>
public sealed class Explorer
{
    private readonly ExploreOptions _o;
    private readonly Simulator _sim;
    private readonly LinearizabilityMonitor _mon;
    private readonly StateCodec _codec;
    private readonly ActionSpace _space;
    private readonly SimSnapshot _snap;
    private readonly LinearizabilityMonitor.Snapshot _monSnap;
    private readonly SchedAction[] _enabled;
    private readonly VisitedSet _visited = new();
    private int[] _parent = new int[1 << 14];
    private byte[] _via = new byte[1 << 14];
    private int[] _slot = new int[1 << 14];
    private int _states;
    private long _transitions;
    private long _pruned;
    private readonly StepCoverage _coverage = new();
    private int _lastDepth;
    private long _peakBytes;
    private Frontier _cur = new();
    private Frontier _next = new();
    private readonly Dictionary<(OracleId, ViolationCode), int> _reached = new();
    private readonly PendingChildren _pending = new();
    private Dictionary<UInt128, int>? _depths;
    // The breadth-first search between calls of Advance: the ids of the frontier's states, the level reached.
    private List<int> _ids = new();
    private List<int> _nextIds = new();
    private int _depth;
    private bool _started;
    private ExploreResult? _final;
    // The preemption bound: the state being expanded's last agent (-1: none yet) and preemptions spent; keys carry both after the encoding.
    private readonly int _bound;
    private int _lastAgent = -1, _spent;
    private byte[] _keyBuf = new byte[4096];

    public Explorer(KernelDefinition kernel, Scenario scenario, ExploreOptions? options = null)
    {
        _o = options ?? new ExploreOptions();
        _sim = new Simulator(kernel, scenario, _o.Sim);
        _mon = new LinearizabilityMonitor(_sim);
        _codec = new StateCodec(_sim, _mon, _o.RenameFrames);
        _space = new ActionSpace(_sim);
        _snap = _sim.NewSnapshot();
        _monSnap = _mon.NewSnapshot();
        _enabled = new SchedAction[_sim.MaxActions];
        _bound = _o.Preemptions ?? -1;
    }

    private bool Bounded => _bound >= 0;

    private bool Sleeping => _o.Reduce && !Bounded;

    /// <summary>The key of the simulator's state: its encoding, and under a preemption bound the last agent and the preemptions spent.</summary>
    private ReadOnlySpan<byte> Key(int lastAgent, int spent)
    {
        ReadOnlySpan<byte> state = _codec.Encode();
        if (!Bounded) return state;
        if (_keyBuf.Length < state.Length + 2) _keyBuf = new byte[2 * (state.Length + 2)];
        state.CopyTo(_keyBuf);
        _keyBuf[state.Length] = (byte)(lastAgent + 1);
        _keyBuf[state.Length + 1] = (byte)spent;
        return _keyBuf.AsSpan(0, state.Length + 2);
    }

    /// <summary>The machine's part of a key (and, bounded, its last agent and preemptions into the fields).</summary>
    private ReadOnlySpan<byte> Machine(ReadOnlySpan<byte> key)
    {
        if (!Bounded) return key;
        _lastAgent = key[^2] - 1;
        _spent = key[^1];
        return key[..^2];
    }

    /// <summary>What taking the action costs here: 1 for another agent's step when the last agent could go on instead; hardware progress is free.</summary>
    private int Cost(SchedAction a, int agentActions)
    {
        if (a.Kind != ActionKind.Step || _lastAgent < 0 || a.Agent == _lastAgent) return 0;
        for (int j = 0; j < agentActions; j++)
        {
            if (_enabled[j].Kind == ActionKind.Step && _enabled[j].Agent == _lastAgent) return 1;
        }
        return 0;
    }

    public Simulator Simulator => _sim;

    /// <summary>States, transitions and pruned actions so far, for another thread's progress line (read while the search runs).</summary>
    public (long States, long Transitions, long Pruned) Work => (Volatile.Read(ref _states), Volatile.Read(ref _transitions), Volatile.Read(ref _pruned));

    /// <summary>Bytes the visited set and the parent links hold now (what a stored state costs, without the frontier).</summary>
    public long StoredBytes => _visited.Bytes + (long)_parent.Length * 9;

    /// <summary>The memory the search holds now: visited set, parent links, frontier.</summary>
    public long Bytes => StoredBytes + _cur.Bytes + _next.Bytes;

    public ExploreResult Run(CancellationToken cancel = default) => Advance(_o.MaxDepth, cancel);

    /// <summary>
    /// Search on, breadth first, until every state at most <paramref name="depth"/> actions deep
    /// has been expanded (at most <see cref="ExploreOptions.MaxDepth"/>). A <see cref="ExploreVerdict.Bounded"/>
    /// result below MaxDepth can be continued by a deeper call (<see cref="CanAdvance"/>), which
    /// goes on from the frontier: the levels already searched are not searched again, and the
    /// answer is the one a single call to that depth gives. Any other verdict is final.
    /// </summary>
    public ExploreResult Advance(int depth, CancellationToken cancel = default)
    {
        if (_final is { } done) return done;
        try
        {
            ExploreResult r = Search(Math.Min(depth, _o.MaxDepth), cancel);
            if (!CanAdvance) _final = r;
            return r;
        }
        catch (ModelLimitException e)
        {
            return _final = Result(ExploreVerdict.Limit, 0) with { LimitReason = e.Message };
        }
    }

    /// <summary>How deep the search has expanded: every state fewer actions deep than this has been expanded.</summary>
    public int Level => _depth;

    /// <summary>Whether the last result was a depth bound below MaxDepth with states left to expand.</summary>
    public bool CanAdvance => _final is null && _started && _cur.Count > 0 && _depth < _o.MaxDepth;

    private ExploreResult Search(int limit, CancellationToken cancel)
    {
        if (!_started)
        {
            if (_o.RecordStates) _depths = new Dictionary<UInt128, int>();
            _cur.Clear();
            _next.Clear();
            int root = NewState(-1, 0);
            ReadOnlySpan<byte> rootKey = Key(-1, 0);
            _visited.TryAdd(Fingerprint(rootKey), root, out _);
            _depths?.Add(Fingerprint(rootKey), 0);
            _started = true;
            if (Terminal())
            {
                _final = EndViolation(root, 0, rootKey) ?? Result(ExploreVerdict.Complete, 0);
                return _final;
            }
            _cur.Add(rootKey, default);
            _ids.Add(root);
        }
        for (; _cur.Count > 0 && _depth < limit; _depth++)
        {
            _nextIds.Clear();
            for (int i = 0; i < _cur.Count; i++)
            {
                if (cancel.IsCancellationRequested) return _final = Result(ExploreVerdict.Cancelled, _depth);
                if (Expand(_cur.State(i), _cur.Sleep(i), _ids[i], _depth, _nextIds) is { } found) return _final = found;
                if (_states > _o.MaxStates) return _final = Result(ExploreVerdict.Limit, _depth) with { LimitReason = $"more than {_o.MaxStates:N0} states" };
            }
            _peakBytes = Math.Max(_peakBytes, Bytes);
            (_cur, _next) = (_next, _cur);
            _next.Clear();
            (_ids, _nextIds) = (_nextIds, _ids);
            _lastDepth = _depth + 1;
        }
        ExploreVerdict verdict = _reached.Count > 0 ? ExploreVerdict.Violation : _cur.Count > 0 ? ExploreVerdict.Bounded : ExploreVerdict.Complete;
        return Result(verdict, _cur.Count > 0 ? limit : _lastDepth);
    }

    /// <summary>
    /// Take the enabled actions not asleep from one state; a result when a violation ends the search.
    /// Agent steps (and the IOMMU's and device's progress) are taken first, to learn their
    /// footprints: when none of them touches what one side's hardware touches (the CPU TLBs, or the
    /// device side, <see cref="HardwareFootprint"/>), that side's optional actions are not taken here
    /// at all. They with the rest form a persistent set: no action of the side left out is dependent
    /// on any action taken, or on the other side's, and it enables only actions of its own side, so
    /// it cannot enable an agent; every violation happens in an agent step, so any path from here is
    /// equivalent to one of the same length that starts with an action taken. For the sleep sets,
    /// hardware actions count as taken before the agent steps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ExploreResult? Expand(ReadOnlySpan<byte> state, SleepSet sleep, int id, int depth, List<int> nextIds)
    {
        _codec.Decode(Machine(state));
        _sim.Save(_snap);
        _mon.Save(_monSnap);
        int n = _sim.CollectEnabled(_enabled, out int agentActions);
        bool fresh = true;
        var touched = HardwareFootprint.None;
        var steps = default(SleepSet);
        _pending.Clear();
        for (int k = 0; k < agentActions; k++)
        {
            int index = _space.Index(_enabled[k]);
            int cost = Bounded ? Cost(_enabled[k], agentActions) : 0;
            if (Bounded && _spent + cost > _bound)
            {
                // Not taken here, but it may be later, for free: the hardware left out must be independent of it.
                // Not counted as pruned: the bound, not the reduction, leaves it out.
                touched = HardwareFootprint.All;
                continue;
            }
            if (Sleeping && sleep.Contains(index))
            {
                touched = HardwareFootprints.Union(touched, sleep.FootprintOf(index));
                _pruned++;
                continue;
            }
            Take(_enabled[k], ref fresh);
            HardwareFootprint footprint = HardwareFootprints.OfTransition(_sim);
            touched = HardwareFootprints.Union(touched, footprint);
            if (Violation() is { } v)
            {
                if (Found(v.Oracle, v.Code, id, index, depth + 1) is { } stop) return stop;
            }
            else
            {
                bool terminal = Terminal();
                _pending.Add(index, footprint, terminal, Key(_enabled[k].Kind == ActionKind.Step ? _enabled[k].Agent : _lastAgent, _spent + cost));
            }
            steps.Add(index, footprint);
        }
        var hardware = default(SleepSet);
        bool cpu = !_o.Reduce || HardwareFootprints.TouchesCpu(touched), device = !_o.Reduce || HardwareFootprints.TouchesDevice(touched);
        for (int k = agentActions; k < n; k++)
        {
            int index = _space.Index(_enabled[k]);
            if (!(_space.IsCpuTlb(index) ? cpu : device) || Sleeping && sleep.Contains(index))
            {
                _pruned++;
                continue;
            }
            Take(_enabled[k], ref fresh);
            bool terminal = Terminal();
            if (Child(id, index, depth, terminal, Key(_lastAgent, _spent), ChildSleep(index, HardwareFootprint.All, in sleep, in hardware), nextIds) is { } end) return end;
            hardware.Add(index);
        }
        var before = hardware;
        for (int i = 0; i < _pending.Count; i++)
        {
            int index = _pending.Action(i);
            HardwareFootprint footprint = _pending.Footprint(i);
            if (Child(id, index, depth, _pending.Terminal(i), _pending.State(i), ChildSleep(index, footprint, in sleep, in before), nextIds) is { } end)
                return end;
            before.Add(index, footprint);
        }
        return null;
    }

    private void Take(SchedAction a, ref bool fresh)
    {
        if (!fresh)
        {
            _sim.Restore(_snap);
            _mon.Restore(_monSnap);
        }
        fresh = false;
        _sim.Execute(a);
        _mon.Observe(_sim);
        _transitions++;
        foreach (ref readonly Fuzz.Model.Trace.TraceEvent e in _sim.Trace.Events)
        {
            if (e.Kind != Fuzz.Model.Trace.TraceKind.Step) continue;
            _coverage.Add(e.Recipe, e.Step);
        }
    }

    /// <summary>The state after an action: new (terminal, checked now; or queued), or seen (sleep sets narrowed at equal depth).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ExploreResult? Child(int parent, int action, int depth, bool terminal, ReadOnlySpan<byte> key, SleepSet sleep, List<int> nextIds)
    {
        UInt128 fp = Fingerprint(key);
        if (!_visited.TryAdd(fp, _states, out int existing))
        {
            if (_slot[existing] >= 0 && _slot[existing] < _next.Count && nextIds[_slot[existing]] == existing)
                _next.Sleep(_slot[existing]).IntersectWith(sleep);
            return null;
        }
        int id = NewState(parent, action);
        _depths?.Add(fp, depth + 1);
        if (terminal) return EndViolation(id, depth + 1, key);
        _slot[id] = _next.Count;
        _next.Add(key, sleep);
        nextIds.Add(id);
        return null;
    }

    private SleepSet ChildSleep(int action, HardwareFootprint footprint, in SleepSet sleep, in SleepSet done)
    {
        var child = default(SleepSet);
        if (!Sleeping) return child;
        for (int z = sleep.Next(-1); z >= 0; z = sleep.Next(z))
        {
            if (Independent(action, footprint, z, sleep.FootprintOf(z))) child.Add(z, sleep.FootprintOf(z));
        }
        for (int z = done.Next(-1); z >= 0; z = done.Next(z))
        {
            if (Independent(action, footprint, z, done.FootprintOf(z))) child.Add(z, done.FootprintOf(z));
        }
        return child;
    }

    private bool Independent(int a, HardwareFootprint fa, int b, HardwareFootprint fb) => _space.Independent(a, fa, b, fb);

    /// <summary>No agent step and no walk, command or completion is enabled (CollectEnabled would count no progress action).</summary>
    private bool Terminal() => !_sim.AnyAgentEnabled();

    private (OracleId Oracle, ViolationCode Code)? Violation()
    {
        if (_sim.Violations.Any) return (_sim.Violations[0].Oracle, _sim.Violations[0].Code);
        if (_mon.Violated) return (OracleId.Linearizability, ViolationCode.NotLinearizable);
        return null;
    }

    /// <summary>A terminal state's end-of-run checks (deadlock, quiescent accounting), run on the state itself.</summary>
    private ExploreResult? EndViolation(int id, int depth, ReadOnlySpan<byte> key)
    {
        int last = _lastAgent, spent = _spent;
        _codec.Decode(Machine(key));
        (_lastAgent, _spent) = (last, spent);
        _sim.CheckEndState();
        if (!_sim.Violations.Any) return null;
        return Found(_sim.Violations[0].Oracle, _sim.Violations[0].Code, id == 0 ? -1 : _parent[id], id == 0 ? -1 : _via[id], depth);
    }

    private ExploreResult? Found(OracleId oracle, ViolationCode code, int parent, int action, int depth)
    {
        if (!_reached.TryGetValue((oracle, code), out int d) || depth < d) _reached[(oracle, code)] = depth;
        if (_o.AllViolations) return null;
        var path = PathTo(parent);
        if (action >= 0) path.Add(_space.Action(action));
        return Result(ExploreVerdict.Violation, depth) with { Path = path, Oracle = oracle, Code = code };
    }

    private List<SchedAction> PathTo(int id)
    {
        var path = new List<SchedAction>();
        for (; id > 0; id = _parent[id]) path.Add(_space.Action(_via[id]));
        path.Reverse();
        return path;
    }

    private int NewState(int parent, int action)
    {
        if (_states == _parent.Length)
        {
            Array.Resize(ref _parent, _states * 2);
            Array.Resize(ref _via, _states * 2);
            Array.Resize(ref _slot, _states * 2);
        }
        _parent[_states] = parent;
        _via[_states] = (byte)Math.Max(0, action);
        _slot[_states] = -1;
        return _states++;
    }

    private static UInt128 Fingerprint(ReadOnlySpan<byte> key) => XxHash128.HashToUInt128(key);

    private ExploreResult Result(ExploreVerdict verdict, int depth) => new()
    {
        Verdict = verdict,
        States = _states,
        Transitions = _transitions,
        Pruned = _pruned,
        Coverage = _coverage.Copy(),
        Depth = depth,
        PeakBytes = Math.Max(_peakBytes, StoredBytes),
        BytesPerState = _states == 0 ? 0 : (double)StoredBytes / _states,
        Reached = _reached.Select(kv => new ReachedViolation(kv.Key.Item1, kv.Key.Item2, kv.Value)).OrderBy(r => r.Oracle).ThenBy(r => r.Code).ToList(),
        StateDepths = _depths,
    };
}
