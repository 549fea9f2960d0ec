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
    /// flush_tlb_batched_pending() (mm/rmap.c:658-670), its test: "if (mm->tlb_flush_batched)". A
    /// read of the mm's field, made under this PTE page's lock while reclaim may set it under
    /// another's. With the knob tlb_flush_batched counter (5ee2fa2f0636) the field is a
    /// pending/flushed generation pair: the test snapshots it and asks "pending != flushed".
    /// </summary>
    [Step(StepCategory.Check, "if (mm->tlb_flush_batched): reclaim deferred a flush for this mm (counter: pending != flushed)")]
    internal static bool tlb_flush_batched(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int batch = s.M.MmStates[c.Mm].TlbFlushBatched;
        s.Trace.Last.Va = -1;
        s.Trace.Last.Value = batch;
        if (!s.Kernel.Knobs.TlbFlushBatchedCounter) return batch != 0;
        c.BatchSnapshot = batch;
        return (batch & 0xffff) != batch >> 16;
    }

    /// <summary>
    /// flush_tlb_batched_pending()'s end: "barrier(); mm->tlb_flush_batched = false;" (rmap.c:665-668),
    /// after the flush. Reclaim under another PTE page's lock may have set it again between the
    /// flush and this clear; the clear wipes that, and the flush it stood for is lost (the race
    /// 5ee2fa2f0636 fixed). With the counter, "atomic_cmpxchg(&amp;mm->tlb_flush_batched, batch,
    /// pending | (pending &lt;&lt; TLB_FLUSH_BATCH_FLUSHED_SHIFT))": it records the flush only if no new
    /// batch arrived since the snapshot.
    /// </summary>
    [Step(StepCategory.TlbFlush, "mm->tlb_flush_batched = false (counter: cmpxchg the snapshot to pending | pending << 16)")]
    internal static bool clear_tlb_flush_batched(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref int batch = ref s.M.MmStates[c.Mm].TlbFlushBatched;
        s.Trace.Last.Va = -1;
        if (!s.Kernel.Knobs.TlbFlushBatchedCounter)
        {
            bool was = batch != 0;
            batch = 0;
            return was;
        }
        int pending = c.BatchSnapshot & 0xffff;
        if (batch != c.BatchSnapshot) return false;
        batch = pending | pending << 16;
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
