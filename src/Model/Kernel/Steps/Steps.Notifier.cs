using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// mmu_notifier calls as the v4.14 SVA drivers (amd_iommu_v2, intel-svm) receive them. Neither
/// implements invalidate_range_start/end; both implement ->invalidate_range, which flushes the
/// IOTLB and the device ATC and waits for the invalidation to complete (draining DMA that used the
/// old translation). In v4.14 mmu_notifier_invalidate_range_end() also calls ->invalidate_range.
/// </summary>
internal static partial class Steps
{
    [Step(StepCategory.SecondaryFlush, "secondary MMUs: a range is about to change (nothing for the IOMMU in v4.14)")]
    internal static bool mmu_notifier_invalidate_range_start(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.M.MmStates[c.Mm].NotifierRanges++;
        NoteRange(s, ref c, ins.Operand);
        return true;
    }

    [Step(StepCategory.SecondaryFlush, "->invalidate_range(): flush the IOTLB and device ATC for the range and wait for completion")]
    internal static bool mmu_notifier_invalidate_range(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (!RangeOf(ref c, ins.Operand, out int first, out int last))
        {
            s.Trace.Last.Va = -1;
            return false;
        }
        NoteRange(s, ref c, ins.Operand);
        s.Trace.Last.Value = s.InvalidateSecondary(c.Mm, first, last);
        return true;
    }

    [Step(StepCategory.SecondaryFlush, "end of the range; in v4.14 it also calls ->invalidate_range()")]
    internal static bool mmu_notifier_invalidate_range_end(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref var mm = ref s.M.MmStates[c.Mm];
        if (mm.NotifierRanges > 0) mm.NotifierRanges--;
        RangeOf(ref c, ins.Operand, out int first, out int last);
        NoteRange(s, ref c, ins.Operand);
        s.Trace.Last.Value = s.InvalidateSecondary(c.Mm, first, last);
        return true;
    }

    /// <summary>intel_change_pte() flushes the address; amd_iommu_v2 has no change_pte callback.</summary>
    [Step(StepCategory.SecondaryFlush, "->change_pte() before set_pte_at (intel-svm flushes; amd_iommu_v2 has none)")]
    internal static bool mmu_notifier_change_pte(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (s.Kernel.Knobs.Iommu != IommuDriver.IntelSvm) return false;
        s.Trace.Last.Value = s.InvalidateSecondary(c.Mm, c.Va, c.Va);
        return true;
    }

    private static bool RangeOf(ref OpContext c, Operand operand, out int first, out int last)
    {
        switch (operand)
        {
            case Operand.WholeRange:
                first = c.RangeFirst;
                last = c.RangeLast;
                return true;
            case Operand.Gather:
                first = c.GatherFirst;
                last = c.GatherLast;
                return c.GatherHasRange;
            default:
                first = last = c.Va;
                return true;
        }
    }

    private static void NoteRange(Simulator s, ref OpContext c, Operand operand)
    {
        RangeOf(ref c, operand, out int first, out int last);
        s.Trace.Last.Va = (sbyte)first;
        s.Trace.Last.Detail = last;
    }
}
