using Fuzz.Model.Kernel;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Tests.Model.Kernel;

/// <summary>What a replay's trace says ran: the facts that show a race's steps happened, in order.</summary>
internal static class TraceFacts
{
    /// <summary>The events of <paramref name="step"/> run by the named agent (any agent when null), optionally only in <paramref name="recipe"/>.</summary>
    public static List<TraceEvent> Ran(ReplayResult r, StepId step, string? agent = null, RecipeId? recipe = null)
    {
        var list = new List<TraceEvent>();
        foreach (TraceEvent e in r.Sim.Trace.Events)
        {
            if (e.Kind != TraceKind.Step || e.Step != step) continue;
            if (agent is not null && r.Sim.AgentNames[e.Agent] != agent) continue;
            if (recipe is { } rid && e.Recipe != rid) continue;
            list.Add(e);
        }
        return list;
    }

    /// <summary>The tick of the <paramref name="occurrence"/>-th (from 1) run of a step by an agent.</summary>
    public static int Tick(ReplayResult r, StepId step, string agent, int occurrence = 1)
    {
        List<TraceEvent> runs = Ran(r, step, agent);
        Assert.True(runs.Count >= occurrence, $"{agent} ran {StepCatalog.Name(step)} {runs.Count} time(s), not {occurrence}");
        return runs[occurrence - 1].Tick;
    }

    /// <summary>Whether any step of <paramref name="recipe"/> ran.</summary>
    public static bool Entered(ReplayResult r, RecipeId recipe)
    {
        foreach (TraceEvent e in r.Sim.Trace.Events)
        {
            if (e.Kind == TraceKind.Step && e.Recipe == recipe) return true;
        }
        return false;
    }

    /// <summary>Whether the named agent took any step at all.</summary>
    public static bool Acted(ReplayResult r, string agent)
    {
        foreach (TraceEvent e in r.Sim.Trace.Events)
        {
            if (e.Kind == TraceKind.Step && r.Sim.AgentNames[e.Agent] == agent) return true;
        }
        return false;
    }

    /// <summary>The value the <paramref name="occurrence"/>-th operation of an agent that returns one (a load) returned.</summary>
    public static int Returned(ReplayResult r, string agent, int occurrence = 1)
    {
        int n = 0;
        foreach (TraceEvent e in r.Sim.Trace.Events)
        {
            if (e.Kind != TraceKind.OpEnd || r.Sim.AgentNames[e.Agent] != agent || e.Op < 0) continue;
            if (++n == occurrence) return e.Value;
        }
        throw new Xunit.Sdk.XunitException($"{agent} returned from fewer than {occurrence} operations");
    }
}
