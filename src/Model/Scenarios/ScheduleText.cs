using Fuzz.Model.Scheduling;

namespace Fuzz.Model.Scenarios;

/// <summary>
/// Schedule tokens: CPU0, DEV, kworker (the agent steps), CPU1.fill:A, CPU1.evict:A, DEV.fill:A,
/// DEV.evict:A (hardware), each optionally repeated with *N.
/// </summary>
public static class ScheduleText
{
    public static string AgentName(int agent, int cpus) =>
        agent < cpus ? Names.Cpu(agent) : agent == cpus ? Names.Device : Names.PriWorker;

    public static string Format(SchedAction a, int cpus)
    {
        string name = AgentName(a.Agent, cpus);
        return a.Kind switch
        {
            ActionKind.Step => name,
            ActionKind.Fill => $"{name}.fill:{Names.Page(a.Va)}",
            _ => $"{name}.evict:{Names.Page(a.Va)}",
        };
    }

    /// <summary>Tokens with runs of the same action folded into NAME*N.</summary>
    public static IEnumerable<string> FormatAll(IReadOnlyList<SchedAction> schedule, int cpus)
    {
        for (int i = 0; i < schedule.Count;)
        {
            int j = i + 1;
            while (j < schedule.Count && schedule[j] == schedule[i]) j++;
            string t = Format(schedule[i], cpus);
            yield return j - i > 1 ? $"{t}*{j - i}" : t;
            i = j;
        }
    }

    /// <summary>Parse one token (with its repeat count); returns an error text instead of throwing.</summary>
    public static bool TryParse(string token, int cpus, int pages, bool device, out SchedAction action, out int repeat, out string? error)
    {
        action = default;
        repeat = 1;
        error = null;
        string t = token;
        int star = t.IndexOf('*');
        if (star >= 0)
        {
            if (!int.TryParse(t.AsSpan(star + 1), out repeat) || repeat < 1 || repeat > 100_000)
            {
                error = $"bad repeat count in '{token}'";
                return false;
            }
            t = t[..star];
        }
        string name = t, hw = "";
        int dot = t.IndexOf('.');
        if (dot >= 0)
        {
            name = t[..dot];
            hw = t[(dot + 1)..];
        }
        int agent;
        if (name == Names.Device || name == Names.PriWorker)
        {
            if (!device)
            {
                error = $"'{name}' in the schedule, but the scenario has no device";
                return false;
            }
            agent = name == Names.Device ? cpus : cpus + 1;
        }
        else if (name.StartsWith("CPU", StringComparison.Ordinal) && int.TryParse(name.AsSpan(3), out agent) && agent >= 0)
        {
            if (agent >= cpus)
            {
                error = $"'{name}' in the schedule, but the scenario has {cpus} CPU(s)";
                return false;
            }
        }
        else
        {
            error = $"unknown agent '{name}' in the schedule (CPU0.., {Names.Device}, {Names.PriWorker})";
            return false;
        }
        if (hw.Length == 0)
        {
            action = SchedAction.Step(agent);
            return true;
        }
        int colon = hw.IndexOf(':');
        string verb = colon >= 0 ? hw[..colon] : hw;
        string page = colon >= 0 ? hw[(colon + 1)..] : "";
        if (verb is not ("fill" or "evict") || !Names.TryPage(page, pages, out int va) || name == Names.PriWorker)
        {
            error = $"bad hardware action '{token}': write CPU1.fill:A, CPU1.evict:A, DEV.fill:A or DEV.evict:A";
            return false;
        }
        action = verb == "fill" ? SchedAction.Fill(agent, va) : SchedAction.Evict(agent, va);
        return true;
    }
}
