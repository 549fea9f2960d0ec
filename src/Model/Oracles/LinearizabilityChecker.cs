using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// Oracle 1: for each virtual page (both mms' registers together, since fork copies one into the
/// other), the history of reads, writes, zaps and fork copies must have a linearization: a
/// sequential order, consistent with each operation's [call, return] interval in real time, in
/// which every read returns the latest value, or a stale view an in-flight MADV_DONTNEED allows
/// (<see cref="RegisterState"/>). Wing-Gong search with Lowe's memoisation of (linearized set,
/// state), partitioned per page as Porcupine partitions per key. Pending operations may or may not
/// have taken effect; pending reads observed nothing and are dropped.
/// </summary>
public static class LinearizabilityChecker
{
    public const int MaxOpsPerPage = 64;

    internal static void Check(Simulator s)
    {
        ReadOnlySpan<HistoryEvent> all = s.History.Events;
        Span<int> ids = stackalloc int[MaxOpsPerPage];
        for (int va = 0; va < s.M.Pages; va++)
        {
            int n = 0;
            for (int i = 0; i < all.Length; i++)
            {
                if (all[i].Va != va || (all[i].Kind == HistoryKind.Read && all[i].Pending)) continue;
                if (n == MaxOpsPerPage) throw new ModelLimitException($"more than {MaxOpsPerPage} operations on page {Names.Page(va)}");
                ids[n++] = i;
            }
            if (n == 0) continue;
            s.OracleChecks[(int)OracleId.Linearizability]++;
            var initial = new RegisterState(InitialValue(s.Scenario, 0, va), InitialValue(s.Scenario, 1, va));
            var events = new HistoryEvent[n];
            for (int i = 0; i < n; i++)
            {
                events[i] = all[ids[i]];
                if (events[i].Link >= 0) events[i].Link = ids[..n].IndexOf(events[i].Link);
            }
            if (IsLinearizable(events, initial, int.MaxValue)) continue;
            ReportWitness(s, events, initial);
            return;
        }
    }

    /// <summary>
    /// Whether the events (only those called before <paramref name="cut"/>, the rest as if never
    /// called) linearize. A ZapReturn's <see cref="HistoryEvent.Link"/> is the index of its Zap here.
    /// </summary>
    public static bool IsLinearizable(HistoryEvent[] events, RegisterState initial, int cut)
    {
        var search = new Search(events, cut);
        return search.Run(initial);
    }

    /// <summary>Wing-Gong depth-first search over linearization orders, memoising failed (done, state) pairs.</summary>
    private sealed class Search
    {
        private readonly HistoryEvent[] _e;
        private readonly int[] _call;
        private readonly int[] _ret;
        private readonly int[] _slot;
        private readonly ulong _present;
        private readonly ulong _mustDo;
        private readonly HashSet<(ulong, RegisterState)> _failed = new();

        public Search(HistoryEvent[] events, int cut)
        {
            _e = events;
            int n = events.Length;
            _call = new int[n];
            _ret = new int[n];
            _slot = new int[n];
            int zaps = 0;
            for (int i = 0; i < n; i++)
            {
                _call[i] = events[i].Call;
                bool returned = events[i].Return <= cut;
                _ret[i] = returned ? events[i].Return : int.MaxValue;
                _slot[i] = -1;
                if (events[i].Kind == HistoryKind.Zap)
                {
                    if (zaps == 8) throw new ModelLimitException("more than 8 MADV_DONTNEED on one page");
                    _slot[i] = zaps++;
                }
                if (events[i].Call > cut) continue;
                if (events[i].Kind == HistoryKind.Read && !returned) continue;
                _present |= 1UL << i;
                if (returned) _mustDo |= 1UL << i;
            }
            for (int i = 0; i < n; i++)
            {
                if (events[i].Kind == HistoryKind.ZapReturn) _slot[i] = _slot[events[i].Link];
            }
        }

        public bool Run(RegisterState initial) => Step(0, 0, initial);

        private bool Step(ulong done, uint cleared, RegisterState state)
        {
            if ((done & _mustDo) == _mustDo) return true;
            if (_failed.Contains((done, state))) return false;
            int minRet = int.MaxValue;
            for (int i = 0; i < _e.Length; i++)
            {
                if ((_present >> i & 1) != 0 && (done >> i & 1) == 0 && _ret[i] < minRet) minRet = _ret[i];
            }
            Span<RegisterState> next = stackalloc RegisterState[RegisterState.MaxStale + 1];
            for (int i = 0; i < _e.Length; i++)
            {
                if ((_present >> i & 1) == 0 || (done >> i & 1) != 0 || _call[i] > minRet) continue;
                if (_e[i].Kind == HistoryKind.ZapReturn && (done >> _e[i].Link & 1) == 0) continue;
                int n = state.Apply(_e[i], cleared, _slot[i], next);
                uint nowCleared = _e[i].Kind == HistoryKind.Zap ? cleared | 1u << _slot[i] : cleared;
                for (int k = 0; k < n; k++)
                {
                    if (Step(done | 1UL << i, nowCleared, next[k])) return true;
                }
            }
            _failed.Add((done, state));
            return false;
        }
    }

    /// <summary>
    /// Name the culprit: the first operation (by return) at whose return the history stops being
    /// linearizable, and the last write that had completed before it was called.
    /// </summary>
    private static void ReportWitness(Simulator s, HistoryEvent[] events, RegisterState initial)
    {
        int[] order = Enumerable.Range(0, events.Length).Where(i => !events[i].Pending)
            .OrderBy(i => events[i].Return).ToArray();
        int culprit = order.Length > 0 ? order[^1] : 0;
        foreach (int i in order)
        {
            if (!IsLinearizable(events, initial, events[i].Return))
            {
                culprit = i;
                break;
            }
        }
        HistoryEvent e = events[culprit];
        Violation v = Violation.Of(OracleId.Linearizability, ViolationCode.NotLinearizable, e.Return, e.Agent);
        if (e.Kind == HistoryKind.Read && FromOtherMm(events, e, initial) is int writer)
        {
            // The value read was only ever written in the other process: a leak between mms.
            v.Oracle = OracleId.Isolation;
            v.Code = ViolationCode.ValueFromOtherMm;
            v.OtherAgent = events[writer].Agent;
            v.OtherTick = events[writer].Return;
            v.OtherOp = events[writer].Op;
            v.OtherMm = events[writer].Mm;
        }
        v.Mm = e.Mm;
        v.Va = e.Va;
        v.Value = e.Value;
        v.Expected = e.Kind == HistoryKind.Read ? initial.Get(e.Mm) : -1;
        v.Op = e.Op;
        int best = -1;
        for (int i = 0; i < events.Length; i++)
        {
            HistoryEvent w = events[i];
            if (w.Kind is HistoryKind.Read or HistoryKind.ZapReturn or HistoryKind.ForkCopy || w.Mm != e.Mm || w.Pending || w.Return >= e.Call) continue;
            if (best < 0 || w.Return > events[best].Return) best = i;
        }
        if (best >= 0 && v.Code == ViolationCode.NotLinearizable)
        {
            v.OtherAgent = events[best].Agent;
            v.OtherTick = events[best].Return;
            v.Expected = events[best].Kind == HistoryKind.Write ? events[best].Value : 0;
            v.OtherOp = events[best].Op;
        }
        s.Violations.Report(v);
    }

    /// <summary>
    /// The write in the other mm that alone explains the read's value, or null. Only a value the
    /// read's own process can never have held is a leak: not its register's initial value, not 0
    /// (a zap or the zero page), not a value any write in its own mm stored, and not one copied
    /// into it by fork (a parent write that started before the fork returned). The write must also
    /// have started before the read returned.
    /// </summary>
    private static int? FromOtherMm(HistoryEvent[] events, HistoryEvent read, RegisterState initial)
    {
        if (read.Value == 0 || read.Value == initial.Get(read.Mm)) return null;
        int forkedAt = -1;
        for (int i = 0; i < events.Length; i++)
        {
            if (events[i].Kind == HistoryKind.ForkCopy && events[i].Mm == read.Mm) forkedAt = Math.Max(forkedAt, events[i].Return);
        }
        int? other = null;
        for (int i = 0; i < events.Length; i++)
        {
            HistoryEvent w = events[i];
            if (w.Kind != HistoryKind.Write || w.Value != read.Value) continue;
            if (w.Mm == read.Mm) return null;
            if (w.Call < forkedAt) return null;
            if (w.Call < read.Return) other ??= i;
        }
        return other;
    }

    /// <summary>The value a page holds before the run: its initial mapping's value, or 0 (zero page, unmapped).</summary>
    public static int InitialValue(Scenario sc, int mm, int va)
    {
        foreach (InitialPage p in sc.InitialPages)
        {
            if (p.Mm != mm || p.Va != va) continue;
            return p.Kind switch
            {
                InitialPageKind.Value or InitialPageKind.Swapped => p.Value,
                InitialPageKind.SharedWith => InitialValue(sc, p.SharedMm, p.SharedVa),
                _ => 0,
            };
        }
        return 0;
    }
}
