using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Shrinking;

/// <summary>
/// Replaces a schedule by the actions actually taken, up to the last one the default policy
/// (round robin from the agent that stepped last) would not have chosen: no skipped tokens, no
/// redundant tail, and the same trace.
/// </summary>
public static class ScheduleNormalizer
{
    public static Scenario Normalize(Scenario s, KernelDefinition kernel, SimOptions? options = null)
    {
        var sim = new Simulator(kernel, s, options);
        var recorder = new DefaultTracking(new ScriptStrategy(s.Schedule));
        sim.Run(recorder);
        return s with { Schedule = recorder.Taken.Take(recorder.LastNonDefault + 1).ToArray() };
    }

    /// <summary>Records the actions taken and the last position where the choice differed from the default.</summary>
    private sealed class DefaultTracking(IScheduleStrategy inner) : IScheduleStrategy
    {
        private int _lastAgent = -1;

        public List<SchedAction> Taken { get; } = new();
        public int LastNonDefault { get; private set; } = -1;

        public int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions)
        {
            int i = inner.Choose(enabled, agentActions);
            if (i != DefaultPolicy.Pick(enabled, agentActions, _lastAgent)) LastNonDefault = Taken.Count;
            if (i < agentActions) _lastAgent = enabled[i].Agent;
            Taken.Add(enabled[i]);
            return i;
        }
    }
}
