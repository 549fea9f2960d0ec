using Fuzz.Formats.Scenarios;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Shrinking;

/// <summary>
/// The shrinker's last resort: when dropping an operation loses the failure only because the old
/// schedule no longer fits, look for a new schedule for the smaller scenario. Attempts alternate
/// between sticky random walks (like the generator's) and PCT runs of depth 1 to 3, which reach
/// "this agent up to that step, then that one" orders far more often than random walks do. Seeds
/// come from the scenario's content, so the search is deterministic.
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
        Scenario? bounded = Bounded(s, sim, oracle, attempts * 4);
        if (bounded is not null) return bounded;
        for (int i = 0; i < attempts; i++)
        {
            sim.Reset();
            ulong seed = Seeds.Derive(baseSeed, (ulong)i);
            IScheduleStrategy inner = i % 2 == 0
                ? new StickyRandomStrategy(seed)
                : new PctStrategy(seed, sim.AgentCount, depth: 1 + i / 2 % 3, expectedSteps: 12 * s.OperationCount + 8);
            var walk = new RecordingStrategy(inner);
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

    /// <summary>
    /// Every schedule with one priority order over the agents that have work (the IOMMU among them
    /// when the device has work), at most one preemption of the first, and at most one hardware
    /// fill or speculative translation request before anything runs, up to a budget
    /// of runs: the shortest races need no more, and random walks rarely hit them exactly.
    /// </summary>
    private static Scenario? Bounded(Scenario s, Simulator sim, OracleId oracle, int budget)
    {
        var active = new List<int>();
        for (int a = 0; a < sim.AgentCount; a++)
        {
            bool serves = a == sim.WorkerAgent || a == sim.IommuAgent;
            if (sim.Agents[a].OpCount > 0 || (serves && sim.DeviceAgent >= 0 && sim.Agents[sim.DeviceAgent].OpCount > 0)) active.Add(a);
            else if (a == sim.DiskAgent) active.Add(a);
        }
        if (active.Count > 6) return null;
        var initials = new List<SchedAction[]> { Array.Empty<SchedAction>() };
        for (int va = 0; va < s.Pages; va++)
        {
            // The device's translation of the page cached before anything runs: as in the thread's
            // table, the IOMMU walks and the device caches the result.
            if (sim.DeviceAgent >= 0)
                initials.Add([SchedAction.AtsRequest(sim.DeviceAgent, va), SchedAction.Walk(sim.IommuAgent, va), SchedAction.Complete(sim.DeviceAgent, va)]);
            for (int cpu = 0; cpu < s.Cpus; cpu++) initials.Add([SchedAction.Fill(cpu, va)]);
        }
        int runs = 0;
        foreach (int[] order in Permutations(active))
        {
            foreach (SchedAction[] initial in initials)
            {
                for (int k = 0; ; k++)
                {
                    if (++runs > budget) return null;
                    sim.Reset();
                    var priority = new PriorityStrategy(order, sim.AgentCount, k, initial);
                    var walk = new RecordingStrategy(priority);
                    try
                    {
                        sim.Run(walk);
                    }
                    catch (ModelLimitException)
                    {
                        break;
                    }
                    if (sim.Violations.Has(oracle)) return s with { Schedule = walk.Taken.ToArray() };
                    if (k > 0 && !priority.Preempted) break;
                }
            }
        }
        return null;
    }

    private static IEnumerable<int[]> Permutations(List<int> items)
    {
        if (items.Count <= 1)
        {
            yield return items.ToArray();
            yield break;
        }
        for (int i = 0; i < items.Count; i++)
        {
            var rest = new List<int>(items);
            rest.RemoveAt(i);
            foreach (int[] tail in Permutations(rest)) yield return [items[i], .. tail];
        }
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
