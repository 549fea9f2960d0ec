using Fuzz.Formats.Text;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Formats.Scenarios;

/// <summary>
/// Schedule tokens: CPU0, DEV, kworker, ksmd, kswapd, kcompactd, disk (the agent steps), CPU1.fill:A, CPU1.evict:A, DEV.fill:A,
/// DEV.evict:A (hardware), each optionally repeated with *N.
/// </summary>
public static class ScheduleText
{
    public static string Format(SchedAction a, AgentLayout layout)
    {
        string name = layout.Name(a.Agent);
        return a.Kind switch
        {
            ActionKind.Step => name,
            ActionKind.Fill => $"{name}.fill:{Names.Page(a.Va)}",
            _ => $"{name}.evict:{Names.Page(a.Va)}",
        };
    }

    /// <summary>Tokens with runs of the same action folded into NAME*N.</summary>
    public static IEnumerable<string> FormatAll(IReadOnlyList<SchedAction> schedule, AgentLayout layout)
    {
        for (int i = 0; i < schedule.Count;)
        {
            int j = i + 1;
            while (j < schedule.Count && schedule[j] == schedule[i]) j++;
            string t = Format(schedule[i], layout);
            yield return j - i > 1 ? $"{t}*{j - i}" : t;
            i = j;
        }
    }

    /// <summary>Parse one token (with its repeat count); returns an error text instead of throwing.</summary>
    public static bool TryParse(string token, AgentLayout layout, int pages, out SchedAction action, out int repeat, out string? error)
    {
        action = default;
        repeat = 1;
        error = null;
        string t = token;
        int star = t.IndexOf('*');
        if (star >= 0)
        {
            if (!int.TryParse(t.AsSpan(star + 1), out repeat) || repeat < 1 || repeat > ScenarioLimits.MaxScheduleActions)
            {
                error = $"bad repeat count in '{Token.Show(token)}': *N takes N from 1 to {ScenarioLimits.MaxScheduleActions}";
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
        if (!layout.TryIndex(name, out int agent))
        {
            error = $"unknown agent '{Token.Show(name)}' in the schedule; this scenario's agents are {string.Join(", ", layout.AllNames)}";
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
        if (verb is not ("fill" or "evict") || !Names.TryPage(page, pages, out int va) || !layout.HasTranslations(agent))
        {
            error = $"bad hardware action '{Token.Show(token)}': write CPU1.fill:A, CPU1.evict:A, DEV.fill:A or DEV.evict:A";
            return false;
        }
        action = verb == "fill" ? SchedAction.Fill(agent, va) : SchedAction.Evict(agent, va);
        return true;
    }
}
