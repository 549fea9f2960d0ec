using Fuzz.Model.Kernel;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>Oracle 7: no deadlock, no endless fault loop, no recipe spinning without doing anything.</summary>
internal static class ProgressOracle
{
    /// <summary>Work is left and nobody can run: name the first waiting agent, its step and who holds what it waits for.</summary>
    public static void Deadlock(Simulator s)
    {
        for (int ai = 0; ai < s.Agents.Length; ai++)
        {
            ref AgentState a = ref s.Agents[ai];
            if (!a.HasWork || a.Halted) continue;
            Violation v = Violation.Of(OracleId.Progress, ViolationCode.Deadlock, s.Tick, ai);
            v.Mm = a.Ctx.Mm;
            v.Va = a.Ctx.Va;
            if (a.InOp && NextStep(s, ref a, out Instr ins))
            {
                v.HasStep = true;
                v.Step = ins.Step;
                v.OtherAgent = Holder(s, ref a, ins);
            }
            s.Violations.Report(v);
            return;
        }
    }

    public static void FaultLoop(Simulator s, int ai)
    {
        ref AgentState a = ref s.Agents[ai];
        Violation v = AccessOracle.At(s, OracleId.Progress, ViolationCode.FaultLoop, ai, -1, a.Ctx.Mm, a.Ctx.Va);
        v.Value = a.Ctx.Faults;
        s.Violations.Report(v);
        s.Halt(ai);
    }

    public static void ZeroTimeLoop(Simulator s, int ai)
    {
        ref AgentState a = ref s.Agents[ai];
        Violation v = Violation.Of(OracleId.Progress, ViolationCode.ZeroTimeLoop, s.Tick, ai);
        v.Mm = a.Ctx.Mm;
        v.Va = a.Ctx.Va;
        s.Violations.Report(v);
        s.Halt(ai);
    }

    public static void TickLimit(Simulator s)
    {
        Violation v = Violation.Of(OracleId.Progress, ViolationCode.TickLimit, s.Tick, -1);
        v.Value = s.Tick;
        s.Violations.Report(v);
    }

    private static bool NextStep(Simulator s, ref AgentState a, out Instr ins)
    {
        ref CallFrame f = ref a.Stack[a.Depth - 1];
        Instr[] code = s.Kernel.Recipe(f.Recipe).Code;
        int pc = f.Pc;
        while (pc < code.Length && code[pc].Kind == InstrKind.Label) pc++;
        ins = pc < code.Length ? code[pc] : default;
        return pc < code.Length && ins.Kind is InstrKind.Step or InstrKind.Check;
    }

    private static int Holder(Simulator s, ref AgentState a, in Instr ins)
    {
        switch (ins.Step)
        {
            case StepId.pte_offset_map_lock:
            case StepId.pte_alloc_map_lock:
            case StepId.spin_lock:
            case StepId.spin_lock_nested:
                int mm = ins.Operand == Operand.Child ? a.Ctx.ChildMm : a.Ctx.Mm;
                return s.M.Ptl(mm, a.Ctx.Va) - 1;
            case StepId.down_read_mmap_sem:
            case StepId.down_write_mmap_sem:
                return s.M.MmStates[a.Ctx.Mm].MmapWriter - 1;
            case StepId.lock_page:
                return a.Ctx.OldPfn < 0 ? -1 : s.M.Frames[a.Ctx.OldPfn].LockedBy - 1;
            case StepId.domain_flush_complete:
            case StepId.qi_submit_sync:
            case StepId.build_inv_iommu_pasid:
            case StepId.build_inv_iotlb_pasid:
            case StepId.QI_EIOTLB:
            case StepId.QI_DEIOTLB:
                return s.IommuAgent;
            default:
                return -1;
        }
    }
}
