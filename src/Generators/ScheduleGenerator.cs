using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Generators;

/// <summary>
/// Scheduler choices as data, drawn for a scenario whose agents and programs are known: agent
/// tokens among the agents that have work (with a device: its PRI worker and the IOMMU, whose
/// tokens are its walks and command executions, and sometimes the completion of a speculative
/// request), and sometimes an optional hardware action: a CPU's TLB fill or eviction, the device's
/// speculative translation request or ATC eviction, the IOMMU's IOTLB eviction. Tokens whose action
/// is not enabled at their turn are skipped; the default policy finishes whatever is left. The
/// generator draws every scenario's schedule here, and 'fuzz run --scenario' draws fresh schedules
/// for one fixed scenario the same way.
/// </summary>
public static class ScheduleGenerator
{
    public static List<SchedAction> Draw(IChoices c, GeneratorSettings s, Scenario sc)
    {
        AgentLayout layout = sc.Layout;
        var agents = new List<int>();
        int totalOps = 0;
        foreach (AgentProgram p in sc.Programs)
        {
            agents.Add(layout.IndexOf(p));
            totalOps += p.Ops.Count;
        }
        if (sc.HasDevice)
        {
            agents.Add(layout.Worker);
            agents.Add(layout.Iommu);
        }
        if (layout.Disk >= 0) agents.Add(layout.Disk);
        var devicePages = new List<int>();
        if (sc.DeviceProgram() is { } device)
        {
            foreach (Operation op in device.Ops) devicePages.Add(op.Va);
        }
        int length = totalOps * s.ScheduleTokensPerOp;
        var schedule = new List<SchedAction>(length);
        // The CPUs' TLBs, then (with a device) the device's ATC and the IOMMU's IOTLB.
        int caches = sc.Cpus + (sc.HasDevice ? 2 : 0);
        int last = -1;
        for (int i = 0; i < length; i++)
        {
            if (c.Chance(s.HardwarePercent))
            {
                int cache = c.Next(caches);
                int va = c.Next(sc.Pages);
                bool fill = c.Chance(65);
                schedule.Add(cache < sc.Cpus ? (fill ? SchedAction.Fill(cache, va) : SchedAction.Evict(cache, va))
                    : cache == sc.Cpus ? (fill ? SchedAction.AtsRequest(layout.Device, va) : SchedAction.Evict(layout.Device, va))
                    : fill ? SchedAction.Walk(layout.Iommu, va) : SchedAction.IotlbEvict(layout.Iommu, va));
            }
            else if (agents.Count > 0)
            {
                // (Settings may leave every CPU idle and no device or thread: then only hardware acts.)
                if (last < 0 || !c.Chance(s.StickyPercent)) last = agents[c.Next(agents.Count)];
                schedule.Add(AgentToken(c, layout, last, devicePages, sc.Pages));
            }
        }
        return schedule;
    }

    /// <summary>An agent's token: its step; for the IOMMU a walk of a page the device uses or the execution of a queued command.</summary>
    private static SchedAction AgentToken(IChoices c, AgentLayout layout, int agent, List<int> devicePages, int pages)
    {
        if (agent == layout.Iommu)
            return c.Chance(50) ? SchedAction.Command(agent, c.Chance(85) ? 0 : 1) : SchedAction.Walk(agent, DevicePage(c, devicePages, pages));
        if (agent == layout.Device && c.Chance(20)) return SchedAction.Complete(agent, DevicePage(c, devicePages, pages));
        return SchedAction.Step(agent);
    }

    /// <summary>A page the device's operations use (where its translations are), else any.</summary>
    private static int DevicePage(IChoices c, List<int> devicePages, int pages) =>
        devicePages.Count > 0 ? devicePages[c.Next(devicePages.Count)] : c.Next(pages);
}
