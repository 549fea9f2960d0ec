using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Shrinking;

/// <summary>
/// Which cross-agent orderings a counterexample depends on, found by replaying reorderings of the
/// schedule it took. Each action is moved later, one position at a time, past the actions of other
/// agents up to its own agent's next action (program order), and earlier likewise; the first
/// position at which the oracle no longer fires names an ordering the violation needs. Moves that
/// the kernel itself forbids (an agent blocked on a lock another holds) are not reorderings and end
/// the search in that direction: such orders are synchronisation, not the race. A hardware action
/// that is no longer possible at its new position (a fill after the PTE was cleared) needs its old
/// place, so the step it was moved past is the one it must precede. Finally the set is made minimal:
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
        CriticalOrdering? witness = v.OtherTick >= 0 && v.OtherTick < v.Tick && v.Tick < taken.Length && v.OtherTick < taken.Length
            && taken[v.OtherTick].Agent != taken[v.Tick].Agent
            ? new CriticalOrdering(v.OtherTick, v.Tick) : null;

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

    /// <summary>Move the action at t later past other agents' actions; the first that loses the violation.</summary>
    private static CriticalOrdering? Later(Probe probe, SchedAction[] taken, int t)
    {
        var trial = new SchedAction[taken.Length];
        for (int k = t + 1; k < taken.Length && taken[k].Agent != taken[t].Agent; k++)
        {
            // taken[0..t-1], taken[t+1..k], taken[t], taken[k+1..]
            Array.Copy(taken, trial, t);
            Array.Copy(taken, t + 1, trial, t, k - t);
            trial[k] = taken[t];
            Array.Copy(taken, k + 1, trial, k + 1, taken.Length - k - 1);
            Outcome o = probe.Run(trial);
            if (o.Refused) return null;
            if (o.FirstSkipped >= 0 && o.FirstSkipped < k) return null;
            if (o.FirstSkipped == k) return taken[t].Kind == ActionKind.Step ? null : new CriticalOrdering(t, k);
            if (!o.Violates) return new CriticalOrdering(t, k);
        }
        return null;
    }

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
            if (o.FirstSkipped == k) return taken[t].Kind == ActionKind.Step ? null : new CriticalOrdering(k, t);
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
