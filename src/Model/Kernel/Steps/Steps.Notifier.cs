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
    private static bool NotifierStart(Simulator s, int ai, Operand operand)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.M.MmStates[c.Mm].NotifierRanges++;
        NoteRange(s, ref c, operand);
        return true;
    }

    private static bool NotifierInvalidateRange(Simulator s, int ai, Operand operand)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (!RangeOf(ref c, operand, out int first, out int last))
        {
            s.Trace.Last.Va = -1;
            return false;
        }
        NoteRange(s, ref c, operand);
        s.Trace.Last.Value = s.InvalidateSecondary(c.Mm, first, last);
        return true;
    }

    private static bool NotifierEnd(Simulator s, int ai, Operand operand)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref var mm = ref s.M.MmStates[c.Mm];
        if (mm.NotifierRanges > 0) mm.NotifierRanges--;
        RangeOf(ref c, operand, out int first, out int last);
        NoteRange(s, ref c, operand);
        s.Trace.Last.Value = s.InvalidateSecondary(c.Mm, first, last);
        return true;
    }

    /// <summary>intel_change_pte() flushes the address; amd_iommu_v2 has no change_pte callback.</summary>
    private static bool NotifierChangePte(Simulator s, int ai)
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
            case Operand.Range:
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
