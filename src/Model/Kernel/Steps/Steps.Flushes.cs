using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// CPU TLB shootdowns. Each is one step: the IPIs are sent and acknowledged before the caller goes
/// on, so no CPU can use the flushed entries afterwards; a CPU that used them before is ordered
/// before the flush.
/// </summary>
internal static partial class Steps
{
    [Step(StepCategory.TlbFlush, "shoot down every CPU's TLB entry for the address, and wait (second half of ptep_clear_flush)")]
    internal static bool flush_tlb_page(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Trace.Last.Value = s.FlushCpuTlbs(c.Mm, c.Va, c.Va);
        return true;
    }

    [Step(StepCategory.TlbFlush, "shoot down every CPU's TLB entries for the mm")]
    internal static bool flush_tlb_mm(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Trace.Last.Va = -1;
        s.Trace.Last.Value = s.FlushCpuTlbs(c.Mm, 0, s.M.Pages - 1);
        return true;
    }

    /// <summary>
    /// mm/rmap.c: flush_tlb_batched_pending() (3ea277194daa): reclaim may have cleared PTEs of this mm
    /// and deferred their flush; anyone about to decide from PTE contents must flush first.
    /// </summary>
    [Step(StepCategory.TlbFlush, "if reclaim deferred a flush for this mm (tlb_flush_batched), do it now")]
    internal static bool flush_tlb_batched_pending(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref var mm = ref s.M.MmStates[c.Mm];
        s.Trace.Last.Va = -1;
        if (!mm.TlbFlushBatched) return false;
        s.Trace.Last.Value = s.FlushCpuTlbs(c.Mm, 0, s.M.Pages - 1);
        mm.TlbFlushBatched = false;
        return true;
    }

    /// <summary>
    /// flush_tlb_range(vma, start, end): every CPU's entries for the range, as zap_page_range() does
    /// after unmapping it in v4.14 (4647706ebeee); CPU TLBs only, no notifier.
    /// </summary>
    [Step(StepCategory.TlbFlush, "flush_tlb_range(): shoot down every CPU's TLB entries for the range (no secondary TLBs)")]
    internal static bool flush_tlb_range(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Trace.Last.Va = (sbyte)c.RangeFirst;
        s.Trace.Last.Detail = c.RangeLast;
        s.Trace.Last.Value = s.FlushCpuTlbs(c.Mm, c.RangeFirst, c.RangeLast);
        return true;
    }

}
