using Fuzz.Formats.Text;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Formats.Scenarios;

/// <summary>
/// Schedule tokens, each optionally repeated with *N: CPU0, DEV, kworker, ksmd (an agent's next
/// step); CPU1.fill:A, CPU1.evict:A (a CPU's TLB); DEV.ats:A (a speculative ATS translation
/// request), DEV.complete:A (the device takes the completion of one), DEV.evict:A (an ATC entry);
/// IOMMU.walk:A (the IOMMU answers the request for A), IOMMU.cmd (it executes the oldest queued
/// command; IOMMU.cmd:2 the second oldest, ...), IOMMU.evict:A (an IOTLB entry); kswapd, kcompactd, disk (the swap device's next step).
/// </summary>
public static class ScheduleText
{
    public const string Help =
        "write CPU1.fill:A, CPU1.evict:A, DEV.ats:A, DEV.complete:A, DEV.evict:A, IOMMU.walk:A, IOMMU.evict:A, IOMMU.cmd or IOMMU.cmd:2";

    public static string Format(SchedAction a, AgentLayout layout)
    {
        string name = layout.Name(a.Agent);
        string page = a.HasPage ? Names.Page(a.Va) : "";
        return a.Kind switch
        {
            ActionKind.Step => name,
            ActionKind.Fill => $"{name}.fill:{page}",
            ActionKind.Evict or ActionKind.IotlbEvict => $"{name}.evict:{page}",
            ActionKind.AtsRequest => $"{name}.ats:{page}",
            ActionKind.Complete => $"{name}.complete:{page}",
            ActionKind.Walk => $"{name}.walk:{page}",
            _ => a.Va == 0 ? $"{name}.cmd" : $"{name}.cmd:{a.Va + 1}",
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
            if (agent == layout.Iommu)
            {
                error = $"'{Token.Show(token)}': the IOMMU has no program; {Help}";
                return false;
            }
            action = SchedAction.Step(agent);
            return true;
        }
        int colon = hw.IndexOf(':');
        string verb = colon >= 0 ? hw[..colon] : hw;
        string arg = colon >= 0 ? hw[(colon + 1)..] : "";
        if (agent == layout.Iommu && verb == "cmd")
        {
            if (arg.Length == 0)
            {
                action = SchedAction.Command(agent, 0);
                return true;
            }
            if (int.TryParse(arg, out int k) && k >= 1 && k <= Fuzz.Model.Machine.Limits.IommuQueue)
            {
                action = SchedAction.Command(agent, k - 1);
                return true;
            }
            error = $"bad IOMMU command position in '{Token.Show(token)}': IOMMU.cmd is the oldest queued command, IOMMU.cmd:2 the next (up to {Fuzz.Model.Machine.Limits.IommuQueue})";
            return false;
        }
        if (agent == layout.Device && verb == "fill")
        {
            error = $"'{Token.Show(token)}': a device translation is a request, the IOMMU's walk and a completion: DEV.ats:{Token.Show(arg)} IOMMU.walk:{Token.Show(arg)} DEV.complete:{Token.Show(arg)}";
            return false;
        }
        if (!Names.TryPage(arg, pages, out int va))
        {
            error = $"bad hardware action '{Token.Show(token)}': {Help}";
            return false;
        }
        bool cpu = agent < layout.Cpus, dev = agent == layout.Device, iommu = agent == layout.Iommu;
        SchedAction? a = verb switch
        {
            "fill" when cpu => SchedAction.Fill(agent, va),
            "evict" when cpu || dev => SchedAction.Evict(agent, va),
            "evict" when iommu => SchedAction.IotlbEvict(agent, va),
            "ats" when dev => SchedAction.AtsRequest(agent, va),
            "complete" when dev => SchedAction.Complete(agent, va),
            "walk" when iommu => SchedAction.Walk(agent, va),
            _ => null,
        };
        if (a is null)
        {
            error = $"bad hardware action '{Token.Show(token)}': {Help}";
            return false;
        }
        action = a.Value;
        return true;
    }
}
