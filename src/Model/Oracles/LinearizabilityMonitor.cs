using System.Runtime.CompilerServices;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// Oracle 1 online: the same question as <see cref="LinearizabilityChecker"/> (per page, both mms'
/// registers together, the sequential specification of <see cref="RegisterState"/>), answered as the
/// run goes, so that an exhaustive search can make the verdict part of the state instead of keeping
/// the history. Just-in-time linearization (Lowe, "Testing for linearizability", 2017): the monitor
/// keeps every configuration a linearization of the history so far can be in, and an operation is
/// linearized only when it must be, at its own return or before another operation's.
/// <para>
/// A configuration is the register state, which pending operations (by agent) are already
/// linearized, and for each pending read the set of values it could have returned at some point
/// of this linearization since it was called (a read does not change the state, so where exactly
/// it sits only matters for the value). At a return, the configurations are closed under
/// linearizing pending writes, zaps and fork copies in every order; a returning write, zap or copy
/// keeps the configurations that linearized it, a returning read those that could return its value;
/// a zap's return then retires its stale views (<see cref="HistoryKind.ZapReturn"/>). Pending reads
/// never returned constrain nothing, and pending writes may or may not have taken effect, as in the
/// checker. No configuration left means no linearization: the history is not linearizable, and
/// stays so whatever follows.
/// </para>
/// <para>
/// Why this agrees with the checker: the checker accepts an order in which every operation sits
/// after all operations that returned before its call. Given such an order, linearizing its prefix
/// up to each operation at that operation's return is a run of the monitor (every operation of the
/// prefix was called by then, or the order would put an operation before one that returned ahead
/// of its call), and every run of the monitor is such an order. The differential test in
/// tests/Model runs both on the same histories.
/// </para>
/// Zap slots: a pending MADV_DONTNEED's slot is its agent's index; once it has returned its slot is
/// dropped from every view, and the agent's next MADV_DONTNEED reuses it.
/// </summary>
public sealed partial class LinearizabilityMonitor
{
    public const int MaxConfigs = 1024;
    public const int MaxAgents = 16;

    private readonly int _pages;
    private readonly int _agents;
    private readonly int[] _values;
    private readonly LinConfig[] _configs;
    private readonly int[] _count;
    private readonly PendingEvent[] _pending;
    private readonly RegisterState[] _next = new RegisterState[RegisterState.MaxStale + 1];
    private readonly RegisterState[] _initial;
    private int _historySeen;

    public LinearizabilityMonitor(Simulator s)
        : this(s.M.Pages, s.AgentCount, ValueDomain(s.Scenario), (mm, va) => LinearizabilityChecker.InitialValue(s.Scenario, mm, va))
    {
    }

    /// <param name="values">Every value a page can hold (reads of anything else never linearize).</param>
    /// <param name="initial">The value of (mm, page) before the run.</param>
    public LinearizabilityMonitor(int pages, int agents, int[] values, Func<int, int, int> initial)
    {
        _pages = pages;
        _agents = agents;
        if (_agents > MaxAgents) throw new ModelLimitException($"the linearizability monitor follows at most {MaxAgents} agents");
        if (values.Length > 32) throw new ModelLimitException("more than 32 distinct values in one scenario");
        _values = values;
        _configs = new LinConfig[_pages * MaxConfigs];
        _count = new int[_pages];
        _pending = new PendingEvent[_pages * _agents];
        _initial = new RegisterState[_pages];
        for (int va = 0; va < _pages; va++) _initial[va] = new RegisterState(initial(0, va), initial(1, va));
        Reset();
    }

    public int Pages => _pages;
    public int Agents => _agents;

    /// <summary>Every value a page can hold in this scenario: 0, the initial values and the values written.</summary>
    public ReadOnlySpan<int> Values => _values;

    /// <summary>Set when a return left no configuration: the history has no linearization.</summary>
    public bool Violated { get; private set; }
    public int ViolationVa { get; private set; } = -1;
    public int ViolationAgent { get; private set; } = -1;

    /// <summary>History entries already seen (the next new one is a call).</summary>
    public int HistorySeen
    {
        get => _historySeen;
        set => _historySeen = value;
    }

    /// <summary>The scenario's initial state: one configuration per page, nothing pending.</summary>
    public void Reset()
    {
        Array.Clear(_pending);
        for (int va = 0; va < _pages; va++)
        {
            _count[va] = 1;
            _configs[va * MaxConfigs] = new LinConfig { R = _initial[va].Cleaned() };
        }
        _historySeen = 0;
        Violated = false;
        ViolationVa = ViolationAgent = -1;
    }

    public ref int ConfigCount(int va) => ref _count[va];

    public Span<LinConfig> Configs(int va) => _configs.AsSpan(va * MaxConfigs, _count[va]);

    /// <summary>Room for <paramref name="n"/> configurations of a page (decoding a saved state).</summary>
    public Span<LinConfig> ConfigStorage(int va, int n)
    {
        if (n > MaxConfigs) throw new ModelLimitException($"more than {MaxConfigs} linearization configurations on page {Names.Page(va)}");
        _count[va] = n;
        return _configs.AsSpan(va * MaxConfigs, n);
    }

    public ref PendingEvent Pending(int va, int agent) => ref _pending[va * _agents + agent];

    /// <summary>Take in what the last action added to the history: calls, then returns.</summary>
    public void Observe(Simulator s) => Observe(s.History);

    public void Observe(History h)
    {
        for (int i = _historySeen; i < h.Count; i++)
        {
            ref HistoryEvent e = ref h[i];
            if (e.Kind == HistoryKind.ZapReturn) continue;
            Call(in e, i);
        }
        _historySeen = h.Count;
        for (int k = 0; k < _pending.Length; k++)
        {
            ref PendingEvent p = ref _pending[k];
            if (!p.Active || h[p.History].Pending) continue;
            Return(k / _agents, k % _agents, h[p.History].Value);
        }
    }

    private void Call(in HistoryEvent e, int index)
    {
        int va = e.Va, a = e.Agent;
        if (a >= _agents) throw new ModelLimitException($"agent {a} outside the monitor");
        ref PendingEvent p = ref Pending(va, a);
        p = new PendingEvent { Active = true, Kind = e.Kind, Mm = e.Mm, Value = e.Value, History = index, Op = e.Op };
        if (e.Kind != HistoryKind.Read) return;
        Span<LinConfig> configs = Configs(va);
        for (int k = 0; k < configs.Length; k++) configs[k].Masks[a] = ReadableMask(in configs[k].R, e.Mm);
    }

    private void Return(int va, int a, int value)
    {
        ref PendingEvent p = ref Pending(va, a);
        Close(va);
        Span<LinConfig> configs = _configs.AsSpan(va * MaxConfigs, _count[va]);
        int kept = 0;
        ushort bit = (ushort)(1 << a);
        uint valueBit = ValueBit(value);
        for (int k = 0; k < configs.Length; k++)
        {
            LinConfig c = configs[k];
            if (p.Kind == HistoryKind.Read)
            {
                if ((c.Masks[a] & valueBit) == 0) continue;
                c.Masks[a] = 0;
            }
            else
            {
                if ((c.Done & bit) == 0) continue;
                c.Done &= (ushort)~bit;
                if (p.Kind == HistoryKind.Zap)
                {
                    var ret = new HistoryEvent { Kind = HistoryKind.ZapReturn, Mm = p.Mm, Agent = (byte)a };
                    c.R.Apply(in ret, 0, a, _next);
                    c.R = _next[0].WithoutSlot(a).Cleaned();
                }
            }
            configs[kept++] = c;
        }
        _count[va] = kept;
        p.Active = false;
        Canonicalize(va);
        if (kept == 0 && !Violated)
        {
            Violated = true;
            ViolationVa = va;
            ViolationAgent = a;
        }
    }

    /// <summary>Add every configuration reachable by linearizing pending writes, zaps and fork copies.</summary>
    private void Close(int va)
    {
        int baseIndex = va * MaxConfigs;
        uint zapSlots = 0;
        for (int b = 0; b < _agents; b++)
        {
            ref PendingEvent q = ref Pending(va, b);
            if (q.Active && q.Kind == HistoryKind.Zap) zapSlots |= 1u << b;
        }
        for (int k = 0; k < _count[va]; k++)
        {
            LinConfig c = _configs[baseIndex + k];
            for (int b = 0; b < _agents; b++)
            {
                ref PendingEvent q = ref Pending(va, b);
                if (!q.Active || q.Kind == HistoryKind.Read || (c.Done & (1 << b)) != 0) continue;
                var e = new HistoryEvent { Kind = q.Kind, Mm = q.Mm, Value = q.Value, Agent = (byte)b, Va = (byte)va };
                int n = c.R.Apply(in e, c.Done & zapSlots, b, _next);
                for (int j = 0; j < n; j++)
                {
                    LinConfig d = c;
                    d.R = _next[j].Cleaned();
                    d.Done |= (ushort)(1 << b);
                    for (int r = 0; r < _agents; r++)
                    {
                        ref PendingEvent read = ref Pending(va, r);
                        if (read.Active && read.Kind == HistoryKind.Read) d.Masks[r] |= ReadableMask(in d.R, read.Mm);
                    }
                    Add(va, in d);
                }
            }
        }
    }

    private void Add(int va, in LinConfig d)
    {
        Span<LinConfig> configs = _configs.AsSpan(va * MaxConfigs, _count[va]);
        for (int k = 0; k < configs.Length; k++)
        {
            if (configs[k].Equals(in d)) return;
        }
        if (_count[va] == MaxConfigs) throw new ModelLimitException($"more than {MaxConfigs} linearization configurations on page {Names.Page(va)}");
        _configs[va * MaxConfigs + _count[va]++] = d;
    }

    /// <summary>Sorted and without duplicates, so that equal sets are equal sequences.</summary>
    public void Canonicalize(int va)
    {
        Span<LinConfig> c = Configs(va);
        for (int i = 1; i < c.Length; i++)
        {
            LinConfig x = c[i];
            int j = i - 1;
            while (j >= 0 && c[j].CompareTo(in x) > 0)
            {
                c[j + 1] = c[j];
                j--;
            }
            c[j + 1] = x;
        }
        int kept = 0;
        for (int i = 0; i < c.Length; i++)
        {
            if (kept > 0 && c[kept - 1].Equals(in c[i])) continue;
            c[kept++] = c[i];
        }
        _count[va] = kept;
    }

    private uint ReadableMask(in RegisterState r, int mm)
    {
        uint mask = ValueBit(r.Get(mm));
        for (int i = 0; i < r.StaleCount; i++)
        {
            if (r.StaleMmAt(i) == mm) mask |= ValueBit(r.StaleValueAt(i));
        }
        return mask;
    }

    /// <summary>The bit of a value in the domain, or 0 for a value nothing in the scenario can produce.</summary>
    public uint ValueBit(int value)
    {
        for (int i = 0; i < _values.Length; i++)
        {
            if (_values[i] == value) return 1u << i;
        }
        return 0;
    }

    private static int[] ValueDomain(Scenario s)
    {
        var values = new List<int> { 0 };
        foreach (InitialPage p in s.InitialPages)
        {
            if (!values.Contains(p.Value)) values.Add(p.Value);
        }
        foreach (AgentProgram p in s.Programs)
        {
            foreach (Operation op in p.Ops)
            {
                if (OpKinds.HasValue(op.Kind) && !values.Contains(op.Value)) values.Add(op.Value);
            }
        }
        return values.ToArray();
    }
}

/// <summary>One configuration of the monitor for one page.</summary>
public struct LinConfig
{
    public RegisterState R;
    /// <summary>Pending operations (by agent) already linearized.</summary>
    public ushort Done;
    /// <summary>Per pending read (by agent): the values (bits of <see cref="LinearizabilityMonitor.Values"/>) it may return.</summary>
    public ReadMasks Masks;

    public readonly bool Equals(in LinConfig o)
    {
        if (Done != o.Done || !R.Equals(o.R)) return false;
        for (int i = 0; i < LinearizabilityMonitor.MaxAgents; i++)
        {
            if (Masks[i] != o.Masks[i]) return false;
        }
        return true;
    }

    public readonly int CompareTo(in LinConfig o)
    {
        int c = R.CompareTo(o.R);
        if (c != 0) return c;
        c = Done.CompareTo(o.Done);
        if (c != 0) return c;
        for (int i = 0; i < LinearizabilityMonitor.MaxAgents; i++)
        {
            c = Masks[i].CompareTo(o.Masks[i]);
            if (c != 0) return c;
        }
        return 0;
    }
}

[InlineArray(LinearizabilityMonitor.MaxAgents)]
public struct ReadMasks
{
    private uint _mask;
}

/// <summary>An operation on a page that has been called and has not returned, as the monitor keeps it.</summary>
public struct PendingEvent
{
    public bool Active;
    public HistoryKind Kind;
    public byte Mm;
    public int Value;
    /// <summary>Its entry in the simulator's history (where its return shows).</summary>
    public int History;
    public int Op;
}
