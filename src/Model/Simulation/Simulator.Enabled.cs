using Fuzz.Model.Kernel.Steps;
using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Model.Simulation;

/// <summary>Which actions the scheduler may choose now: progress first (agent steps, the IOMMU's walks and commands, the device's completions), then optional hardware.</summary>
public sealed partial class Simulator
{
    /// <summary>
    /// Fill <paramref name="buffer"/> with the enabled actions in a fixed order. First the actions
    /// that make progress, by agent number: each agent's step; for the device, the completions of its
    /// speculative translation requests; for the IOMMU, a walk per outstanding request and the
    /// queued commands. Then optional hardware: per CPU and page a TLB fill and eviction; per page
    /// the device's speculative request and ATC eviction, and the IOMMU's IOTLB eviction. Returns
    /// the count; the first <paramref name="agentActions"/> make progress.
    /// </summary>
    public int CollectEnabled(Span<SchedAction> buffer, out int agentActions)
    {
        int n = 0;
        for (int i = 0; i < Agents.Length; i++)
        {
            if (AgentEnabled(i)) buffer[n++] = SchedAction.Step(i);
            if (i == DeviceAgent)
            {
                for (int va = 0; va < M.Pages; va++)
                {
                    if (CanCompleteSpeculative(va)) buffer[n++] = SchedAction.Complete(i, va);
                }
            }
            else if (i == IommuAgent)
            {
                for (int va = 0; va < M.Pages; va++)
                {
                    if (M.Ats[va].State == AtsState.Pending) buffer[n++] = SchedAction.Walk(i, va);
                }
                IommuCommand[] queue = M.IommuQueue;
                for (int q = 0, k = 0; q < queue.Length && queue[q].Kind != IommuCommandKind.None; q++)
                {
                    if (queue[q].State == IommuCommandState.Queued) buffer[n++] = SchedAction.Command(i, k++);
                }
            }
        }
        agentActions = n;
        for (int cpu = 0; cpu < M.Cpus; cpu++)
        {
            int mm = Agents[cpu].Mm;
            if (!M.MmStates[mm].Running) continue;
            for (int va = 0; va < M.Pages; va++)
            {
                if (CanFillTlb(cpu, mm, va)) buffer[n++] = SchedAction.Fill(cpu, va);
                if (M.TlbAt(cpu, mm, va).Valid) buffer[n++] = SchedAction.Evict(cpu, va);
            }
        }
        if (DeviceAgent >= 0)
        {
            for (int va = 0; va < M.Pages; va++)
            {
                if (CanRequestAts(va)) buffer[n++] = SchedAction.AtsRequest(DeviceAgent, va);
                if (M.Atc[va].Valid) buffer[n++] = SchedAction.Evict(DeviceAgent, va);
                if (M.Iotlb[va].Valid) buffer[n++] = SchedAction.IotlbEvict(IommuAgent, va);
            }
        }
        return n;
    }

    /// <summary>Size a caller's buffer for <see cref="CollectEnabled"/>.</summary>
    public int MaxActions => _enabled.Length;

    public bool IsEnabled(SchedAction action)
    {
        if (action.Agent >= Agents.Length || action.HasPage && action.Va >= M.Pages) return false;
        switch (action.Kind)
        {
            case ActionKind.Step:
                return AgentEnabled(action.Agent);
            case ActionKind.Fill:
                return action.Agent < M.Cpus && M.MmStates[Agents[action.Agent].Mm].Running
                    && CanFillTlb(action.Agent, Agents[action.Agent].Mm, action.Va);
            case ActionKind.Evict:
                if (action.Agent == DeviceAgent) return M.Atc[action.Va].Valid;
                return action.Agent < M.Cpus && M.TlbAt(action.Agent, Agents[action.Agent].Mm, action.Va).Valid;
            case ActionKind.AtsRequest:
                return action.Agent == DeviceAgent && CanRequestAts(action.Va);
            case ActionKind.Complete:
                return action.Agent == DeviceAgent && CanCompleteSpeculative(action.Va);
            case ActionKind.Walk:
                return action.Agent == IommuAgent && M.Ats[action.Va].State == AtsState.Pending;
            case ActionKind.Command:
                return action.Agent == IommuAgent && M.QueuedCommand(action.Va) >= 0;
            default:
                return action.Agent == IommuAgent && M.Iotlb[action.Va].Valid;
        }
    }

    /// <summary>Whether any agent other than <paramref name="ai"/> could step now (or hardware make progress for it).</summary>
    public bool OthersEnabled(int ai)
    {
        for (int i = 0; i < Agents.Length; i++)
        {
            if (i != ai && AgentEnabled(i)) return true;
        }
        return HardwareProgressEnabled();
    }

    /// <summary>Whether anything can make progress: an agent step, or an IOMMU walk or command, or a device completion.</summary>
    public bool AnyAgentEnabled()
    {
        for (int i = 0; i < Agents.Length; i++)
        {
            if (AgentEnabled(i)) return true;
        }
        return HardwareProgressEnabled();
    }

    /// <summary>
    /// An agent may step when it has an operation whose mm's tasks run and whose next shared step can
    /// run. Before an operation's first step only leading labels are looked through: a recipe that a
    /// variant made start with a local step counts as enabled, and that tick runs the local steps.
    /// </summary>
    public bool AgentEnabled(int ai)
    {
        ref AgentState a = ref Agents[ai];
        if (a.Halted || !a.InOp) return false;
        if (!M.MmStates[a.Ctx.Mm].Running && a.Kind == AgentKind.Cpu) return false;
        ref CallFrame f = ref a.Stack[a.Depth - 1];
        Instr[] code = Kernel.Recipe(f.Recipe).Code;
        int pc = f.Pc;
        while (pc < code.Length && code[pc].Kind == InstrKind.Label) pc++;
        if (pc >= code.Length) return true;
        ref readonly Instr ins = ref code[pc];
        if (ins.Kind is not (InstrKind.Step or InstrKind.Check) || StepCatalog.Info(ins.Step).Local) return true;
        if (ins.IsEdited && EditEffect(ref a, in ins) != EditRuns) return true;
        return Steps.CanRun(this, ai, in ins);
    }

    private bool CanFillTlb(int cpu, int mm, int va)
    {
        ref Pte pte = ref M.PteAt(mm, va);
        if (!pte.IsPresent) return false;
        ref TlbEntry e = ref M.TlbAt(cpu, mm, va);
        return !e.Valid || e.Pfn != pte.Pfn || e.Writable != pte.Writable || e.Dirty != pte.Dirty;
    }
}
