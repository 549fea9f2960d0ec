using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// Reading a page in from swap (mm/swap_state.c read_swap_cache_async(), mm/page_io.c
/// swap_readpage()) and the fault flags that decide whether a fault waiting for it drops mmap_sem
/// (lock_page_or_retry, VM_FAULT_RETRY).
/// </summary>
internal static partial class Steps
{
    /// <summary>
    /// __read_swap_cache_async() (swap_state.c:364-454) for the slot orig_pte names: the slot's swap
    /// cache page, with a reference (find_get_page); or, if the slot is still in use
    /// (__swp_swapcount), a new page, locked (__SetPageLocked) and not uptodate, added to the swap
    /// cache and the LRU, whose read the caller starts (new_page_allocated). NULL when the slot was
    /// freed meanwhile (swapcache_prepare fails).
    /// </summary>
    [Step(StepCategory.Page, "__read_swap_cache_async() (swap_state.c:364-454): the slot's swap cache page, or a new locked, !uptodate page added to the swap cache")]
    internal static bool __read_swap_cache_async(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int slot = c.OrigPte.Kind == PteKind.Swap ? c.OrigPte.Slot : -1;
        s.Trace.Last.Value = slot;
        c.PageWasAllocated = false;
        if (slot < 0 || !s.M.SwapUsed[slot]) return false;
        int pfn = s.M.SwapCacheFrame[slot];
        if (pfn >= 0)
        {
            s.M.Frames[pfn].RefCount++;
        }
        else
        {
            if (s.M.SwapCount[slot] <= 0) return false;
            pfn = s.M.AllocFrame();
            if (pfn < 0) throw new ModelLimitException($"out of frames at tick {s.Tick}");
            ref Frame f = ref s.M.Frames[pfn];
            f.Flags |= FrameFlags.NotUptodate;
            f.LockedBy = (byte)(ai + 1);
            s.M.AddToSwapCache(pfn, slot);
            c.PageWasAllocated = true;
            s.Trace.Last.Detail = 1; // new page, read to be started
        }
        c.OldPfn = pfn;
        s.Trace.Last.Pfn = (short)pfn;
        return true;
    }

    [Step(StepCategory.Check, "page_was_allocated (read_swap_cache_async, swap_state.c:465-468): the page is new and its read must be started (swap_readpage)", Local = true, Predicate = true)]
    internal static bool page_was_allocated(Simulator s, int ai, in Instr ins) => s.Agents[ai].Ctx.PageWasAllocated;

    /// <summary>do_swap_page(): "if (unlikely(!PageUptodate(page))) { ret = VM_FAULT_SIGBUS; goto out_nomap; }" (memory.c:2962-2965).</summary>
    [Step(StepCategory.Check, "PageUptodate(page) (do_swap_page, memory.c:2962-2965): the read from swap has completed (read under the page lock, which the read holds until it sets PG_uptodate)", Local = true, Predicate = true)]
    internal static bool PageUptodate(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        s.Trace.Last.Pfn = (short)pfn;
        return pfn >= 0 && (s.M.Frames[pfn].Flags & FrameFlags.NotUptodate) == 0;
    }

    /// <summary>end_swap_bio_read() (page_io.c:122-144), or page_endio() after ->rw_page: the page's data is there.</summary>
    [Step(StepCategory.Page, "SetPageUptodate(page): the read from swap completed (end_swap_bio_read page_io.c:137; brd's page_endio after ->rw_page)")]
    internal static bool SetPageUptodate(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].Flags &= ~FrameFlags.NotUptodate;
        return true;
    }

    /// <summary>arch/x86/mm/fault.c:1269 "unsigned int flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;".</summary>
    [Step(StepCategory.Entry, "flags = FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE (x86 __do_page_fault, fault.c:1269): a user fault may drop mmap_sem to wait, and is retried once", Local = true)]
    internal static bool fault_flags(Simulator s, int ai, in Instr ins)
    {
        s.Agents[ai].Ctx.AllowRetry = true;
        return true;
    }

    /// <summary>
    /// __lock_page_or_retry() (filemap.c:1197-1227): "if (flags &amp; FAULT_FLAG_ALLOW_RETRY) {
    /// up_read(&amp;mm->mmap_sem); wait_on_page_locked(page); return 0; }" else __lock_page(). Only a
    /// user fault's first try has it: the IOMMU driver's fault (amd_iommu_v2 do_fault) and KSM's
    /// break_ksm() pass no FAULT_FLAG_ALLOW_RETRY and sleep on the page lock under mmap_sem.
    /// </summary>
    [Step(StepCategory.Check, "flags & FAULT_FLAG_ALLOW_RETRY (__lock_page_or_retry, filemap.c:1200-1213): the fault drops mmap_sem and returns VM_FAULT_RETRY instead of sleeping on the page lock", Local = true, Predicate = true)]
    internal static bool FAULT_FLAG_ALLOW_RETRY(Simulator s, int ai, in Instr ins) => s.Agents[ai].Ctx.AllowRetry;

    /// <summary>__do_page_fault() on VM_FAULT_RETRY (fault.c:1463-1469): "flags &amp;= ~FAULT_FLAG_ALLOW_RETRY; flags |= FAULT_FLAG_TRIED; goto retry;".</summary>
    [Step(StepCategory.Entry, "flags &= ~FAULT_FLAG_ALLOW_RETRY; flags |= FAULT_FLAG_TRIED (fault.c:1463-1469): the retry sleeps on the page lock instead", Local = true)]
    internal static bool fault_flag_tried(Simulator s, int ai, in Instr ins)
    {
        s.Agents[ai].Ctx.AllowRetry = false;
        return true;
    }
}
