using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// Oracle 1: for each virtual page (both mms' registers together, since fork copies one into the
/// other), the history of reads, writes, zaps and fork copies must have a linearization: a
/// sequential order, consistent with each operation's [call, return] interval in real time, in
/// which every read returns the latest value. Wing-Gong search with Lowe's memoisation of
/// (linearized set, state), partitioned per page as Porcupine partitions per key. Pending
/// operations may or may not have taken effect; pending reads observed nothing and are dropped.
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
            var initial = new RegisterState(InitialValue(s.Scenario, 0, va), InitialValue(s.Scenario, 1, va));
            var events = new HistoryEvent[n];
            for (int i = 0; i < n; i++) events[i] = all[ids[i]];
            if (IsLinearizable(events, initial, int.MaxValue)) continue;
            ReportWitness(s, events, initial);
            return;
        }
    }

    /// <summary>Whether the events (only those called before <paramref name="cut"/>, the rest as if never called) linearize.</summary>
    public static bool IsLinearizable(HistoryEvent[] events, RegisterState initial, int cut)
    {
        int n = events.Length;
        int[] call = new int[n];
        int[] ret = new int[n];
        ulong mustDo = 0, present = 0;
        for (int i = 0; i < n; i++)
        {
            call[i] = events[i].Call;
            bool returned = events[i].Return <= cut;
            ret[i] = returned ? events[i].Return : int.MaxValue;
            if (events[i].Call > cut) continue;
            if (events[i].Kind == HistoryKind.Read && !returned) continue;
            present |= 1UL << i;
            if (returned) mustDo |= 1UL << i;
        }
        var failed = new HashSet<(ulong, RegisterState)>();
        return Search(events, call, ret, present, mustDo, 0, initial, failed);
    }

    private static bool Search(HistoryEvent[] events, int[] call, int[] ret, ulong present, ulong mustDo, ulong done,
        RegisterState state, HashSet<(ulong, RegisterState)> failed)
    {
        if ((done & mustDo) == mustDo) return true;
        if (failed.Contains((done, state))) return false;
        int minRet = int.MaxValue;
        for (int i = 0; i < events.Length; i++)
        {
            if ((present >> i & 1) != 0 && (done >> i & 1) == 0 && ret[i] < minRet) minRet = ret[i];
        }
        for (int i = 0; i < events.Length; i++)
        {
            if ((present >> i & 1) == 0 || (done >> i & 1) != 0 || call[i] > minRet) continue;
            if (!state.Apply(events[i], out RegisterState next)) continue;
            if (Search(events, call, ret, present, mustDo, done | 1UL << i, next, failed)) return true;
        }
        failed.Add((done, state));
        return false;
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
        v.Mm = e.Mm;
        v.Va = e.Va;
        v.Value = e.Value;
        v.Expected = e.Kind == HistoryKind.Read ? initial.Get(e.Mm) : -1;
        v.Op = e.Op;
        int best = -1;
        for (int i = 0; i < events.Length; i++)
        {
            HistoryEvent w = events[i];
            if (w.Kind is HistoryKind.Read || w.Mm != e.Mm || w.Pending || w.Return >= e.Call) continue;
            if (best < 0 || w.Return > events[best].Return) best = i;
        }
        if (best >= 0)
        {
            v.OtherAgent = events[best].Agent;
            v.OtherTick = events[best].Return;
            v.Expected = events[best].Kind == HistoryKind.Write ? events[best].Value : 0;
            v.OtherOp = events[best].Op;
        }
        s.Violations.Report(v);
    }

    /// <summary>The value a page holds before the run: its initial mapping's value, or 0 (zero page, unmapped).</summary>
    public static int InitialValue(Scenario sc, int mm, int va)
    {
        foreach (InitialPage p in sc.InitialPages)
        {
            if (p.Mm != mm || p.Va != va) continue;
            return p.Kind switch
            {
                InitialPageKind.Value => p.Value,
                InitialPageKind.SharedWith => InitialValue(sc, p.SharedMm, p.SharedVa),
                _ => 0,
            };
        }
        return 0;
    }
}
