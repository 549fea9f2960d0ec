using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// mmu_notifier calls as the v4.14 SVA drivers (amd_iommu_v2, intel-svm) receive them. Neither
/// implements invalidate_range_start/end. Both implement ->invalidate_range, which v4.14's
/// mmu_notifier_invalidate_range_end() also calls (mm/mmu_notifier.c:192-214); intel-svm has
/// ->change_pte, amd_iommu_v2 ->clear_flush_young. A notifier step passes its range to the bound
/// driver's callback, a recipe (<see cref="NotifierCallbacks"/>) whose command and wait steps run next.
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

    [Step(StepCategory.SecondaryFlush, "->invalidate_range(): the SVA driver invalidates the IOTLB and the device's ATC for the range and waits")]
    internal static bool mmu_notifier_invalidate_range(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (!RangeOf(ref c, ins.Operand, out int first, out int last))
        {
            s.Trace.Last.Va = -1;
            return false;
        }
        NoteRange(s, ref c, ins.Operand);
        return CallNotifier(s, ai, NotifierCallback.InvalidateRange, first, last);
    }

    [Step(StepCategory.SecondaryFlush, "end of the range; in v4.14 it also calls ->invalidate_range()")]
    internal static bool mmu_notifier_invalidate_range_end(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref var mm = ref s.M.MmStates[c.Mm];
        if (mm.NotifierRanges > 0) mm.NotifierRanges--;
        NoteRange(s, ref c, ins.Operand);
        return RangeOf(ref c, ins.Operand, out int first, out int last)
            && CallNotifier(s, ai, NotifierCallback.InvalidateRange, first, last);
    }

    /// <summary>intel_change_pte() flushes the address; amd_iommu_v2 has no change_pte callback.</summary>
    [Step(StepCategory.SecondaryFlush, "->change_pte() before set_pte_at (intel-svm flushes the address; amd_iommu_v2 has none)")]
    internal static bool mmu_notifier_change_pte(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        return CallNotifier(s, ai, NotifierCallback.ChangePte, c.Va, c.Va);
    }

    /// <summary>
    /// Call the bound SVA driver's <paramref name="callback"/> for pages [first, last] of the
    /// operation's mm: its recipe runs next, as the kernel's notifier call runs the driver's
    /// function. False (nothing called) when the mm has no SVA binding or the driver does not
    /// implement the callback. A notifier step ends with this call, e.g. clear_flush_young:
    /// <c>return CallNotifier(s, ai, NotifierCallback.ClearFlushYoung, first, last);</c>
    /// </summary>
    internal static bool CallNotifier(Simulator s, int ai, NotifierCallback callback, int first, int last)
    {
        ref AgentState a = ref s.Agents[ai];
        if (a.Ctx.Mm != s.M.IommuMm || NotifierCallbacks.Of(s.Kernel.Knobs.Iommu, callback) is not { } callee) return false;
        a.Ctx.NotifyFirst = first;
        a.Ctx.NotifyLast = last;
        a.PendingCall = (byte)(callee + 1);
        s.Trace.Last.Value = (int)callee + 1;
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
