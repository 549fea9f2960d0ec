using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Verification;

/// <summary>
/// The actions of one scenario as small numbers, for sleep sets: agent steps 0..A-1, then per CPU
/// and page a fill and an eviction of its TLB entry, then per page the device's ATC fill and eviction.
/// </summary>
public sealed class ActionSpace
{
    private readonly int _agents;
    private readonly int _cpus;
    private readonly int _pages;
    private readonly int _device;

    public ActionSpace(Simulator s)
    {
        _agents = s.AgentCount;
        _cpus = s.M.Cpus;
        _pages = s.M.Pages;
        _device = s.DeviceAgent;
        Count = _agents + (_cpus + 1) * _pages * 2;
        if (Count > SleepSet.Capacity) throw new ModelLimitException($"{Count} scheduler actions: the search handles at most {SleepSet.Capacity}");
    }

    public int Count { get; }

    public int Index(SchedAction a)
    {
        if (a.Kind == ActionKind.Step) return a.Agent;
        int cache = a.Agent == _device ? _cpus : a.Agent;
        return _agents + (cache * _pages + a.Va) * 2 + (a.Kind == ActionKind.Evict ? 1 : 0);
    }

    public SchedAction Action(int index)
    {
        if (index < _agents) return SchedAction.Step(index);
        int h = index - _agents;
        int cache = h / 2 / _pages, va = h / 2 % _pages;
        int agent = cache == _cpus ? _device : cache;
        return (h & 1) == 0 ? SchedAction.Fill(agent, va) : SchedAction.Evict(agent, va);
    }

    public bool IsStep(int index) => index < _agents;

    public bool IsFill(int index) => index >= _agents && ((index - _agents) & 1) == 0;

    /// <summary>Which cache entry a hardware action touches: the same number for a fill and an eviction of one entry.</summary>
    public int Entry(int index) => (index - _agents) >> 1;
}
