using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Search.Shrinking;

/// <summary>
/// Which cross-agent orderings a counterexample depends on, found by replaying reorderings of the
/// schedule it took. Each action is moved later, one position at a time, past the actions of other
/// agents up to its own agent's next action (program order), and earlier likewise; the first
/// position at which the oracle no longer fires names an ordering the violation needs. Moves that
/// the kernel itself forbids (an agent blocked on a lock another holds) are not reorderings and end
/// the search in that direction: such orders are synchronisation, not the race. A hardware action
/// that is no longer possible at its new position (a fill after the PTE was cleared) needs its old
/// place, so the step it was moved past is the one it must precede. An action that answers a
/// message (the IOMMU's walk answers a translation request, the device's completion answers the
/// walk, an IOMMU command executes what a driver step queued) cannot move before its message:
/// that order is the message, not the race, like a lock. A walk moved later takes the completion
/// that answers it along (it cannot happen first), so "the IOMMU walks A before the CPU clears the
/// PTE" is found although the device took the completion in between. Finally the set is made minimal:
/// an ordering implied by the others and program order is dropped, and so is the violation's own
/// order (a read after the write it missed), which the oracle's message already states.
/// Deterministic, and generic over agents, steps and hardware actions.
/// </summary>
public static class CriticalOrderings
{
    public sealed record Result(
        Scenario Full,
        IReadOnlyList<CriticalOrdering> Orderings,
        CriticalOrdering? Witness,
        int Replays);

    public static Result Find(Scenario s, KernelDefinition kernel, OracleId oracle, SimOptions? options = null)
    {
        var first = new Simulator(kernel, s, options);
        var rec = new RecordingStrategy(new ScriptStrategy(s.Schedule), s.Schedule.Count + 64);
        first.Run(rec);
        SchedAction[] taken = rec.Taken.ToArray();
        Scenario full = s with { Schedule = taken };
        if (!first.Violations.TryGet(oracle, out Violation v)) return new Result(full, [], null, 1);
        // A linearizability violation is a read that began after a write had completed: its own
        // order ends where the read was called, which for a read of several steps (a device read
        // that waits for its translation) is before the tick it returned and was reported at.
        int seen = v.Oracle == OracleId.Linearizability && v.Op >= 0 ? Called(first, v.Op, v.Tick) : v.Tick;
        CriticalOrdering? witness = v.OtherTick >= 0 && v.OtherTick < seen && seen < taken.Length && v.OtherTick < taken.Length
            && taken[v.OtherTick].Agent != taken[seen].Agent
            ? new CriticalOrdering(v.OtherTick, seen) : null;

        var probe = new Probe(kernel, full, oracle, options);
        var found = new List<CriticalOrdering>();
        for (int t = 0; t < taken.Length; t++)
        {
            if (Later(probe, taken, t) is { } later && !found.Contains(later)) found.Add(later);
            if (Earlier(probe, taken, t) is { } earlier && !found.Contains(earlier)) found.Add(earlier);
        }
        IReadOnlyList<CriticalOrdering> minimal = Minimize(found, witness, taken);
        return new Result(full, minimal, witness, probe.Replays + 1);
    }

    /// <summary>The tick at which operation <paramref name="op"/> was called (its first step), or <paramref name="fallback"/>.</summary>
    private static int Called(Simulator sim, int op, int fallback)
    {
        foreach (ref readonly TraceEvent e in sim.Trace.Events)
        {
            if (e.Kind == TraceKind.OpBegin && e.Op == op) return e.Tick;
        }
        return fallback;
    }

    /// <summary>Move the action at t later past other agents' actions; the first that loses the violation.</summary>
    private static CriticalOrdering? Later(Probe probe, SchedAction[] taken, int t)
    {
        var trial = new SchedAction[taken.Length];
        int answer = taken[t].Kind == ActionKind.Walk ? Answer(taken, t) : -1;
        for (int k = t + 1; k < taken.Length && taken[k].Agent != taken[t].Agent; k++)
        {
            // The completion that answers a walk moves with it, up to its own agent's next action.
            bool carry = answer > t && answer <= k;
            if (carry && k > answer && taken[k].Agent == taken[answer].Agent) return null;
            if (k == answer) continue;
            // taken[0..t-1], taken[t+1..k] (without the carried completion), taken[t], [completion], taken[k+1..]
            int n = 0;
            for (int i = 0; i < t; i++) trial[n++] = taken[i];
            for (int i = t + 1; i <= k; i++)
            {
                if (!(carry && i == answer)) trial[n++] = taken[i];
            }
            int moved = n;
            trial[n++] = taken[t];
            if (carry) trial[n++] = taken[answer];
            for (int i = k + 1; i < taken.Length; i++) trial[n++] = taken[i];
            Outcome o = probe.Run(trial);
            if (o.Refused) return null;
            if (o.FirstSkipped >= 0 && o.FirstSkipped < moved) return null;
            if (o.FirstSkipped == moved) return taken[t].Kind == ActionKind.Step ? null : new CriticalOrdering(t, k);
            if (!o.Violates) return new CriticalOrdering(t, k);
        }
        return null;
    }

    /// <summary>The device's completion that answers the walk at <paramref name="walk"/> (the next one for its page), or -1.</summary>
    private static int Answer(SchedAction[] taken, int walk)
    {
        for (int i = walk + 1; i < taken.Length; i++)
        {
            if (taken[i].Kind == ActionKind.Complete && taken[i].Va == taken[walk].Va) return i;
            if (taken[i].Kind == ActionKind.Walk && taken[i].Va == taken[walk].Va) return -1;
        }
        return -1;
    }

    /// <summary>Whether the action answers a message another agent sent (so cannot come before it).</summary>
    private static bool Answers(ActionKind kind) => kind is ActionKind.Walk or ActionKind.Complete or ActionKind.Command;

    /// <summary>Move the action at t earlier past other agents' actions; the first that loses the violation.</summary>
    private static CriticalOrdering? Earlier(Probe probe, SchedAction[] taken, int t)
    {
        var trial = new SchedAction[taken.Length];
        for (int k = t - 1; k >= 0 && taken[k].Agent != taken[t].Agent; k--)
        {
            // taken[0..k-1], taken[t], taken[k..t-1], taken[t+1..]
            Array.Copy(taken, trial, k);
            trial[k] = taken[t];
            Array.Copy(taken, k, trial, k + 1, t - k);
            Array.Copy(taken, t + 1, trial, t + 1, taken.Length - t - 1);
            Outcome o = probe.Run(trial);
            if (o.Refused) return null;
            if (o.FirstSkipped == k) return taken[t].Kind == ActionKind.Step || Answers(taken[t].Kind) ? null : new CriticalOrdering(k, t);
            if (o.FirstSkipped > k && o.FirstSkipped <= t) return null;
            if (!o.Violates) return new CriticalOrdering(k, t);
        }
        return null;
    }

    /// <summary>
    /// Drop every ordering that the others imply together with program order (each agent's actions
    /// in the order taken) and the violation's own order; the widest first, so the tightest stay.
    /// </summary>
    private static IReadOnlyList<CriticalOrdering> Minimize(List<CriticalOrdering> found, CriticalOrdering? witness, SchedAction[] taken)
    {
        var kept = found.Where(o => o != witness).OrderByDescending(o => o.After - o.Before).ThenBy(o => o.Before).ToList();
        for (int i = 0; i < kept.Count;)
        {
            var others = new List<CriticalOrdering>(kept);
            others.RemoveAt(i);
            if (witness is { } w) others.Add(w);
            if (Reaches(kept[i].Before, kept[i].After, others, taken)) kept.RemoveAt(i);
            else i++;
        }
        return kept.OrderBy(o => Math.Min(o.Before, o.After)).ThenBy(o => o.After).ToList();
    }

    /// <summary>Whether tick <paramref name="to"/> follows <paramref name="from"/> through program order and the given orderings.</summary>
    private static bool Reaches(int from, int to, List<CriticalOrdering> edges, SchedAction[] taken)
    {
        var seen = new bool[taken.Length];
        var stack = new Stack<int>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            int x = stack.Pop();
            if (x == to) return true;
            if (seen[x]) continue;
            seen[x] = true;
            for (int k = x + 1; k < taken.Length; k++)
            {
                if (taken[k].Agent != taken[x].Agent) continue;
                stack.Push(k);
                break;
            }
            foreach (CriticalOrdering e in edges)
            {
                if (e.Before == x) stack.Push(e.After);
            }
        }
        return false;
    }

    private readonly record struct Outcome(bool Violates, int FirstSkipped, bool Refused);

    /// <summary>Replays trial schedules of one scenario on one simulator.</summary>
    private sealed class Probe(KernelDefinition kernel, Scenario full, OracleId oracle, SimOptions? options)
    {
        private readonly Simulator _sim = new(kernel, full, options);

        public int Replays { get; private set; }

        public Outcome Run(SchedAction[] schedule)
        {
            Replays++;
            _sim.Reset();
            var script = new ScriptStrategy(schedule);
            try
            {
                _sim.Run(script);
            }
            catch (ModelLimitException)
            {
                return new Outcome(false, -1, true);
            }
            return new Outcome(_sim.Violations.Has(oracle), script.FirstSkipped, false);
        }
    }
}
