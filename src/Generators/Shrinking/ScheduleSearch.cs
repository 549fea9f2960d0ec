using Fuzz.Generators.Persistence;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Generators.Shrinking;

/// <summary>
/// The shrinker's last resort: when dropping an operation loses the failure only because the old
/// schedule no longer fits, look for a new schedule for the smaller scenario with seeded random
/// walks (sticky, like the generator's). Seeds come from the scenario's content, so the search is
/// deterministic.
/// </summary>
public static class ScheduleSearch
{
    public static Scenario? Find(Scenario s, KernelDefinition kernel, OracleId oracle, int attempts, SimOptions? options = null)
    {
        ulong baseSeed = ScenarioHash.Of(s with { Schedule = [] });
        Simulator sim;
        try
        {
            sim = new Simulator(kernel, s, options);
        }
        catch (ModelLimitException)
        {
            return null;
        }
        for (int i = 0; i < attempts; i++)
        {
            sim.Reset();
            var walk = new RecordingStrategy(new StickyRandomStrategy(Seeds.Derive(baseSeed, (ulong)i)));
            try
            {
                sim.Run(walk);
            }
            catch (ModelLimitException)
            {
                continue;
            }
            if (sim.Violations.Has(oracle)) return s with { Schedule = walk.Taken.ToArray() };
        }
        return null;
    }

    /// <summary>A random walk that keeps running the same agent for a while (bursts), sometimes doing hardware actions.</summary>
    private sealed class StickyRandomStrategy(ulong seed) : IScheduleStrategy
    {
        private Pcg32 _rng = new(seed);
        private SchedAction _last;

        public int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions)
        {
            int hardware = enabled.Length - agentActions;
            if (hardware > 0 && _rng.Chance(12)) return agentActions + _rng.Next(hardware);
            if (_rng.Chance(75))
            {
                for (int i = 0; i < agentActions; i++)
                {
                    if (enabled[i] == _last) return i;
                }
            }
            int pick = _rng.Next(agentActions);
            _last = enabled[pick];
            return pick;
        }
    }
}
