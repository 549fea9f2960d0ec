using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Shrinking;

/// <summary>
/// Which operation each schedule action worked for, from a replay: an agent's step belongs to the
/// operation it was running, a PRI worker step to the device operation it served, hardware
/// actions to none. Lets the shrinker drop an operation together with exactly its own steps, so
/// that everyone else keeps their interleaving.
/// </summary>
public static class ScheduleAttribution
{
    /// <summary>For each action of the scenario's schedule (which must replay without skips), a flat operation index or -1.</summary>
    public static int[] Of(Scenario s, KernelDefinition kernel, SimOptions? options = null)
    {
        var sim = new Simulator(kernel, s, options);
        var owner = new int[s.Schedule.Count];
        Span<SchedAction> enabled = new SchedAction[sim.MaxActions];
        for (int i = 0; i < s.Schedule.Count; i++)
        {
            SchedAction a = s.Schedule[i];
            owner[i] = -1;
            if (!sim.IsEnabled(a)) continue;
            if (a.Kind == ActionKind.Step)
            {
                int agent = a.Agent == sim.WorkerAgent ? sim.DeviceAgent : a.Agent;
                ref AgentState st = ref sim.Agents[agent];
                owner[i] = st.InOp ? st.CurOp : -1;
            }
            sim.Execute(a);
        }
        return owner;
    }

    /// <summary>(program index in <see cref="Scenario.Programs"/>, operation index) for each flat operation index.</summary>
    public static (int Program, int Op)[] FlatOps(Scenario s)
    {
        var list = new List<(int, int)>();
        AgentLayout layout = s.Layout;
        for (int agent = 0; agent < layout.Count; agent++)
        {
            int a = agent;
            Add(s, list, p => layout.IndexOf(p) == a);
        }
        return list.ToArray();
    }

    private static void Add(Scenario s, List<(int, int)> list, Func<AgentProgram, bool> which)
    {
        for (int p = 0; p < s.Programs.Count; p++)
        {
            if (!which(s.Programs[p])) continue;
            for (int i = 0; i < s.Programs[p].Ops.Count; i++) list.Add((p, i));
        }
    }
}
