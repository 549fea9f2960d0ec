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
/// the search in that direction: such orders are synchronisation, not the race. A speculative
/// hardware action that is no longer possible at its new position (a TLB fill or an ATS request
/// after the PTE was cleared) needs its old place, so the step it was moved past is the one it must
/// precede. An action that answers another (the IOMMU's walk of a request, the completion of a
/// walk, a queued command's execution, an eviction of a filled entry) cannot run before what it
/// answers: that is cause and effect, not a race, and is kept only to make the set minimal. Finally
/// the set is made minimal: an ordering implied by the others, program order and cause and effect
/// is dropped, and so is the violation's own order (a read after the write it missed), which the
/// oracle's message already states.
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
        var causes = new List<CriticalOrdering>();
        for (int t = 0; t < taken.Length; t++)
        {
            if (Later(probe, taken, t) is { } later && !found.Contains(later)) found.Add(later);
            if (Earlier(probe, taken, t, causes) is { } earlier && !found.Contains(earlier)) found.Add(earlier);
        }
        // The violation's own order is between two operations (a read and the write it missed); an
        // ordering of other steps of those same two operations, the same way round, says it again.
        if (witness is { } w)
        {
            (int before, int after) = (OpAt(first, taken, w.Before), OpAt(first, taken, w.After));
            found.RemoveAll(o => before >= 0 && OpAt(first, taken, o.Before) == before && OpAt(first, taken, o.After) == after);
        }
        IReadOnlyList<CriticalOrdering> minimal = Minimize(found, causes, witness, taken);
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
            if (o.FirstSkipped == k) return Speculative(taken[t].Kind) ? new CriticalOrdering(t, k) : null;
            if (!o.Violates) return new CriticalOrdering(t, k);
        }
        return null;
    }

    /// <summary>
    /// A hardware action the hardware may take whenever the page table allows it (a TLB fill, a
    /// speculative ATS request): where it stops being possible, the kernel's step it was moved past
    /// is one it must precede. Any other action not possible at a new place lacks its cause.
    /// </summary>
    private static bool Speculative(ActionKind kind) => kind is ActionKind.Fill or ActionKind.AtsRequest;

    /// <summary>An action that answers another: the walk of a request, a completion, a queued command, an eviction.</summary>
    private static bool Answers(ActionKind kind) => kind is ActionKind.Walk or ActionKind.Complete or ActionKind.Command
        or ActionKind.Evict or ActionKind.IotlbEvict;

    /// <summary>
    /// Move the action at t earlier past other agents' actions; the first that loses the violation.
    /// An answering action that cannot run before another agent's action records that action as its
    /// cause in <paramref name="causes"/>.
    /// </summary>
    private static CriticalOrdering? Earlier(Probe probe, SchedAction[] taken, int t, List<CriticalOrdering> causes)
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
            if (o.FirstSkipped == k)
            {
                if (Answers(taken[t].Kind)) causes.Add(new CriticalOrdering(k, t));
                return Speculative(taken[t].Kind) ? new CriticalOrdering(k, t) : null;
            }
            if (o.FirstSkipped > k && o.FirstSkipped <= t) return null;
            if (!o.Violates) return new CriticalOrdering(k, t);
        }
        return null;
    }

    /// <summary>
    /// Drop every ordering that the others imply together with program order (each agent's actions
    /// in the order taken), cause and effect and the violation's own order; the widest first, so the
    /// tightest stay.
    /// </summary>
    private static IReadOnlyList<CriticalOrdering> Minimize(List<CriticalOrdering> found, List<CriticalOrdering> causes, CriticalOrdering? witness, SchedAction[] taken)
    {
        var kept = found.Where(o => o != witness && !causes.Contains(o)).OrderByDescending(o => o.After - o.Before).ThenBy(o => o.Before).ToList();
        for (int i = 0; i < kept.Count;)
        {
            var others = new List<CriticalOrdering>(kept);
            others.RemoveAt(i);
            others.AddRange(causes);
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

    /// <summary>The operation the agent acting at <paramref name="tick"/> was running (its last OpBegin at or before it), or -1.</summary>
    private static int OpAt(Simulator sim, SchedAction[] taken, int tick)
    {
        int agent = taken[tick].Agent, op = -1;
        foreach (ref readonly Model.Trace.TraceEvent e in sim.Trace.Events)
        {
            if (e.Tick > tick) break;
            if (e.Agent == agent && e.Kind == Model.Trace.TraceKind.OpBegin) op = e.Op;
        }
        return op;
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
