using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// The mmu_gather of v4.14 (mm/memory.c): cleared PTEs are flushed in one batch at the end, and
/// the pages they mapped are freed only after that flush. tlb_flush_pending tells a concurrent
/// zapper that a flush is still owed.
/// </summary>
internal static partial class Steps
{
    [Step(StepCategory.Gather, "start an mmu_gather: inc_tlb_flush_pending(mm)")]
    internal static bool tlb_gather_mmu(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.InGather = true;
        c.ResetGatherRange();
        c.GatherCount = 0;
        s.M.MmStates[c.Mm].TlbFlushPending++;
        s.Trace.Last.Value = s.M.MmStates[c.Mm].TlbFlushPending;
        return true;
    }

    [Step(StepCategory.Gather, "record the address in the gather's flush range", Local = true)]
    internal static bool tlb_remove_tlb_entry(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.Va < c.GatherFirst) c.GatherFirst = c.Va;
        if (c.Va > c.GatherLast) c.GatherLast = c.Va;
        return true;
    }

    /// <summary>
    /// __tlb_remove_page() (memory.c:303-324): the page table's reference now belongs to the gather.
    /// It answers yes ("batch full", force_flush) when the batch holds mmu_gather_batch pages and the
    /// GFP_NOWAIT allocation of the next batch fails; the model takes that allocation as failing, the
    /// kernel's worst case, so a full batch always forces the flush under the PTL.
    /// </summary>
    [Step(StepCategory.Gather, "queue the page in the gather (freed only after the flush); yes when the batch is full: force a flush now", Local = true)]
    internal static bool __tlb_remove_page(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        int pfn = PageOf(ref a, ins.Operand);
        if (pfn < 0 || a.Ctx.GatherCount == Machine.Limits.GatherBatch) return false;
        a.Ctx.GatherPages[a.Ctx.GatherCount++] = (short)pfn;
        return a.Ctx.GatherCount >= s.Kernel.Knobs.GatherBatch;
    }

    /// <summary>tlb_flush_mmu_tlbonly(): "if (!tlb->end) return;": the gather recorded something to flush.</summary>
    [Step(StepCategory.Check, "tlb->end: the gather recorded a range to flush", Local = true, Predicate = true)]
    internal static bool tlb_end(Simulator s, int ai, in Instr ins) => s.Agents[ai].Ctx.GatherHasRange;

    /// <summary>tlb_flush_mmu_tlbonly(): "__tlb_reset_range(tlb)" after the flush: the next flush starts empty.</summary>
    [Step(StepCategory.Gather, "__tlb_reset_range(tlb): the flushed range is forgotten", Local = true)]
    internal static bool __tlb_reset_range(Simulator s, int ai, in Instr ins)
    {
        s.Agents[ai].Ctx.ResetGatherRange();
        return true;
    }

    /// <summary>
    /// zap_pte_range() after a forced flush: "addr += PAGE_SIZE; break;" ... "if (addr != end) goto
    /// again;" (memory.c:1338-1340, 1398-1403): the rest of this PTE page's range is zapped afresh.
    /// </summary>
    [Step(StepCategory.Check, "addr != end: pages of this PTE page remain after the forced flush (goto again)", Local = true)]
    internal static bool addr_not_end(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.SliceFirst = c.Va + 1;
        return c.SliceFirst <= c.SliceLast;
    }

    /// <summary>
    /// tlb_finish_mmu(): "bool force = mm_tlb_flush_nested(tlb->mm);" then, when forced,
    /// __tlb_adjust_range(tlb, start, end - start): flush the whole range even if this thread found
    /// every PTE already clear, because another thread may have cleared them and not flushed yet.
    /// </summary>
    [Step(StepCategory.Check, "another thread is batching a flush for this mm (tlb_flush_pending > 1): flush the whole range")]
    internal static bool mm_tlb_flush_nested(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int pending = s.M.MmStates[c.Mm].TlbFlushPending;
        s.Trace.Last.Value = pending;
        if (pending <= 1) return false;
        if (c.RangeFirst < c.GatherFirst) c.GatherFirst = c.RangeFirst;
        if (c.RangeLast > c.GatherLast) c.GatherLast = c.RangeLast;
        return true;
    }

    /// <summary>tlb_flush_mmu_tlbonly(): "if (!tlb->end) return; tlb_flush(tlb);" over the recorded range.</summary>
    [Step(StepCategory.TlbFlush, "flush_tlb_mm_range() over the gather's range, if it recorded one")]
    internal static bool tlb_flush(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (!c.GatherHasRange)
        {
            s.Trace.Last.Va = -1;
            return false;
        }
        s.Trace.Last.Va = (sbyte)c.GatherFirst;
        s.Trace.Last.Detail = c.GatherLast;
        s.Trace.Last.Value = s.FlushCpuTlbs(c.Mm, c.GatherFirst, c.GatherLast);
        return true;
    }

    /// <summary>tlb_flush_mmu_free(): free_pages_and_swap_cache() on the gathered pages (memory.c:255-264).</summary>
    [Step(StepCategory.Gather, "free the gathered pages (after the flush)")]
    internal static bool tlb_flush_mmu_free(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        int n = a.Ctx.GatherCount;
        a.Ctx.GatherCount = 0;
        s.Trace.Last.Value = n;
        for (int i = 0; i < n; i++)
        {
            int pfn = a.Ctx.GatherPages[i];
            // free_pages_and_swap_cache() -> free_swap_cache() (swap_state.c:291-297): "if
            // (PageSwapCache(page) && !page_mapped(page) && trylock_page(page)) { try_to_free_swap(page); unlock_page(page); }"
            ref Frame f = ref s.M.Frames[pfn];
            if (f.InSwapCache && f.MapCount == 0 && f.LockedBy == 0) TryToFreeSwap(s, ai, pfn);
            PutPage(s, ai, pfn);
        }
        s.Trace.Last.Pfn = -1;
        s.Trace.Last.Value = n;
        return n > 0;
    }

    [Step(StepCategory.Gather, "end of the mmu_gather: dec_tlb_flush_pending(mm)")]
    internal static bool dec_tlb_flush_pending(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (!c.InGather) return false;
        c.InGather = false;
        s.M.MmStates[c.Mm].TlbFlushPending--;
        s.Trace.Last.Value = s.M.MmStates[c.Mm].TlbFlushPending;
        return true;
    }
}
