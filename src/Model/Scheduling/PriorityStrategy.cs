namespace Fuzz.Model.Scheduling;

/// <summary>
/// A fixed priority order with at most one preemption (context-bounded scheduling, Musuvathi and
/// Qadeer, PLDI 2007): the first agent of the order runs for <c>preemptAfter</c> steps, then drops
/// to the lowest priority; otherwise the highest-priority enabled agent always runs. Optional
/// hardware actions are taken first, each when it is enabled (a TLB fill; or the device's
/// speculative translation: its request, the IOMMU's walk and the device taking the completion). Enumerating orders and
/// preemption points covers every schedule of that shape, which is where short races live:
/// "the device caches A; CPU0 up to its set_pte_at; CPU1; the device".
/// </summary>
public sealed class PriorityStrategy : IScheduleStrategy
{
    private readonly int[] _rank;
    private readonly int _first;
    private readonly int _preemptAfter;
    private readonly IReadOnlyList<SchedAction> _initial;
    private int _nextInitial;
    private int _firstSteps;

    /// <param name="order">Agents, highest priority first; agents not listed come after, in index order.</param>
    /// <param name="preemptAfter">Steps the first agent takes before it drops to the lowest priority (0: never).</param>
    /// <param name="initial">Actions to take before anything else, each if enabled at its turn.</param>
    public PriorityStrategy(IReadOnlyList<int> order, int agents, int preemptAfter, IReadOnlyList<SchedAction>? initial = null)
    {
        _rank = new int[agents];
        for (int a = 0; a < agents; a++) _rank[a] = agents + a;
        for (int i = 0; i < order.Count; i++) _rank[order[i]] = i;
        _first = order.Count > 0 ? order[0] : -1;
        _preemptAfter = preemptAfter;
        _initial = initial ?? [];
    }

    /// <summary>Whether the preemption happened (if not, a later preemption point gives the same run).</summary>
    public bool Preempted { get; private set; }

    public int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions)
    {
        while (_nextInitial < _initial.Count)
        {
            SchedAction first = _initial[_nextInitial++];
            for (int i = 0; i < enabled.Length; i++)
            {
                if (enabled[i] == first) return i;
            }
        }
        if (agentActions == 0) return 0;
        int best = 0;
        for (int i = 1; i < agentActions; i++)
        {
            if (_rank[enabled[i].Agent] < _rank[enabled[best].Agent]) best = i;
        }
        if (enabled[best].Agent == _first && _preemptAfter > 0 && !Preempted && ++_firstSteps == _preemptAfter)
        {
            Preempted = true;
            _rank[_first] = int.MaxValue;
        }
        return best;
    }
}
