using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// Swap: slots (swap_map counts), the swap cache, writeback and the reclaim free. The slot a swap
/// PTE names is <see cref="Pte.Slot"/>; a swap cache page remembers its slot (page_private).
/// </summary>
internal static partial class Steps
{
    private static bool AddToSwap(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0) return false;
        int slot = s.M.AllocSlot();
        s.Trace.Last.Pfn = (short)c.OldPfn;
        if (slot < 0) return false;
        s.M.AddToSwapCache(c.OldPfn, slot);
        s.M.Frames[c.OldPfn].Flags |= FrameFlags.Dirty;
        s.Trace.Last.Value = slot;
        return true;
    }

    /// <summary>swap_duplicate(entry): of the page's slot (try_to_unmap_one), or of the swap PTE being copied (fork).</summary>
    private static bool SwapDuplicate(Simulator s, int ai, Operand operand)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte live = ref s.M.PteAt(c.Mm, c.Va);
        int slot = operand == Operand.Page
            ? (c.OldPfn >= 0 ? s.M.Frames[c.OldPfn].SwapSlot : -1)
            : live.Kind == PteKind.Swap ? live.Slot : -1;
        s.Trace.Last.Value = slot;
        if (slot < 0 || !s.M.SwapUsed[slot]) return false;
        s.M.SwapCount[slot]++;
        return true;
    }

    /// <summary>
    /// swap_free(entry): for the entry the fault found (do_swap_page, orig_pte), or (operand page)
    /// for the page's own slot, undoing try_to_unmap_one()'s swap_duplicate() when it backs out.
    /// </summary>
    private static bool SwapFree(Simulator s, int ai, Operand operand)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int slot = operand == Operand.Page
            ? (c.OldPfn >= 0 ? s.M.Frames[c.OldPfn].SwapSlot : -1)
            : c.OrigPte.Kind == PteKind.Swap ? c.OrigPte.Slot : -1;
        s.Trace.Last.Value = slot;
        if (slot < 0 || s.M.SwapCount[slot] <= 0) return false;
        s.M.SwapCount[slot]--;
        s.M.MaybeFreeSlot(slot);
        return true;
    }

    /// <summary>
    /// zap_pte_range() on a swap entry: free_swap_and_cache(entry). Drops the PTE's slot reference; if
    /// only the swap cache is left and its page is unmapped and not locked, the page leaves the cache.
    /// </summary>
    private static bool FreeSwapAndCache(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte live = ref s.M.PteAt(c.Mm, c.Va);
        if (live.Kind != PteKind.Swap) return false;
        int slot = live.Slot;
        s.Trace.Last.Value = slot;
        if (s.M.SwapCount[slot] > 0) s.M.SwapCount[slot]--;
        int pfn = s.M.SwapCacheFrame[slot];
        if (s.M.SwapCount[slot] == 0 && pfn >= 0)
        {
            ref Frame f = ref s.M.Frames[pfn];
            if (f.LockedBy == 0 && f.MapCount == 0)
            {
                s.M.RemoveFromSwapCache(pfn);
                s.Trace.Last.Pfn = (short)pfn;
                PutPage(s, ai, pfn);
            }
        }
        s.M.MaybeFreeSlot(slot);
        return true;
    }

    /// <summary>try_to_free_swap(page): leave the swap cache when no swap PTE refers to the slot any more.</summary>
    private static bool TryToFreeSwap(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0) return false;
        ref Frame f = ref s.M.Frames[c.OldPfn];
        if (!f.InSwapCache || f.MapCount > 0 || s.M.SwapCount[f.SwapSlot] > 0) return false;
        int pfn = c.OldPfn;
        s.M.RemoveFromSwapCache(pfn);
        f.RefCount--;
        return true;
    }

    /// <summary>do_swap_page(): lookup_swap_cache(entry) for the slot orig_pte names.</summary>
    private static bool LookupSwapCache(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int slot = c.OrigPte.Kind == PteKind.Swap ? c.OrigPte.Slot : -1;
        s.Trace.Last.Value = slot;
        if (slot < 0) return false;
        int pfn = s.M.SwapCacheFrame[slot];
        if (pfn < 0) return false;
        s.M.Frames[pfn].RefCount++;
        c.OldPfn = pfn;
        s.Trace.Last.Pfn = (short)pfn;
        return true;
    }

    /// <summary>
    /// swapin_readahead() -> __read_swap_cache_async() -> swap_readpage(): a new page joins the swap
    /// cache (swapcache_prepare fails if the slot was freed meanwhile) and reads the slot's data.
    /// </summary>
    private static bool ReadSwapCacheAsync(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int slot = c.OrigPte.Kind == PteKind.Swap ? c.OrigPte.Slot : -1;
        s.Trace.Last.Value = slot;
        if (slot < 0 || !s.M.SwapUsed[slot] || s.M.SwapCount[slot] <= 0) return false;
        int pfn = s.M.SwapCacheFrame[slot];
        if (pfn >= 0)
        {
            s.M.Frames[pfn].RefCount++;
        }
        else
        {
            pfn = s.M.AllocFrame();
            if (pfn < 0) throw new ModelLimitException($"out of frames at tick {s.Tick}");
            s.M.Frames[pfn].Content = s.M.SwapContent[slot];
            s.M.AddToSwapCache(pfn, slot);
        }
        c.OldPfn = pfn;
        s.Trace.Last.Pfn = (short)pfn;
        return true;
    }

    /// <summary>pageout(): the page's data goes to its slot; PG_dirty is cleared (clear_page_dirty_for_io).</summary>
    private static bool Pageout(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0) return false;
        ref Frame f = ref s.M.Frames[c.OldPfn];
        AccessOracle.KernelRead(s, ai, c.OldPfn);
        s.Trace.Last.Pfn = (short)c.OldPfn;
        if (!f.InSwapCache || f.SwapSlot < 0) return false;
        s.M.SwapContent[f.SwapSlot] = f.Content;
        f.Flags &= ~FrameFlags.Dirty;
        c.CopySrc = c.OldPfn;
        c.CopySeq = f.WriteSeq;
        c.WritebackSlot = f.SwapSlot;
        s.Trace.Last.Value = f.Content;
        s.Trace.Last.Detail = f.SwapSlot;
        return true;
    }

    /// <summary>
    /// __remove_mapping(): "if (!page_ref_freeze(page, 2)) goto cannot_free; if (PageDirty(page))
    /// ... goto cannot_free;" then __delete_from_swap_cache(). Only reclaim's isolation reference and
    /// the swap cache's may remain: any other (a pin, a lookup) keeps the page.
    /// </summary>
    private static bool RemoveMapping(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0) return false;
        ref Frame f = ref s.M.Frames[c.OldPfn];
        s.Trace.Last.Pfn = (short)c.OldPfn;
        s.Trace.Last.Value = f.RefCount;
        if (f.RefCount != 2 || (f.Flags & FrameFlags.Dirty) != 0 || !f.InSwapCache) return false;
        f.RefCount = 0;
        s.M.RemoveFromSwapCache(c.OldPfn);
        return true;
    }

    /// <summary>free_hot_cold_page_list(): the reclaimed page (refcount frozen at 0) goes back to the allocator.</summary>
    private static bool FreeHotColdPageList(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int pfn = c.OldPfn;
        if (pfn < 0 || s.M.Frames[pfn].IsFree || s.M.Frames[pfn].RefCount != 0) return false;
        s.Trace.Last.Pfn = (short)pfn;
        // The written-back data matters only if a swap PTE still names the slot (a zap may have dropped them all).
        if (c.CopySrc == pfn && c.WritebackSlot >= 0 && s.M.SwapCount[c.WritebackSlot] > 0)
            LostWriteOracle.CheckWriteback(s, ai, pfn, c.CopySeq);
        AccountingOracle.CheckFree(s, ai, pfn);
        s.M.FreeFrame(pfn);
        return true;
    }

    private static bool PageSwapCacheCheck(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0) return false;
        ref Frame f = ref s.M.Frames[c.OldPfn];
        return f.InSwapCache && (c.OrigPte.Kind != PteKind.Swap || f.SwapSlot == c.OrigPte.Slot);
    }

    private static bool PageDirtyCheck(Simulator s, int ai)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        return pfn >= 0 && (s.M.Frames[pfn].Flags & FrameFlags.Dirty) != 0;
    }

    private static bool SetPageDirty(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0 || !c.PteVal.Dirty) return false;
        s.M.Frames[c.OldPfn].Flags |= FrameFlags.Dirty;
        return true;
    }

    /// <summary>zap_pte_range(): pte_clear_not_present_full() on a swap or migration entry.</summary>
    private static bool PteClearNotPresent(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.M.WritePte(c.Mm, c.Va) = Pte.None;
        return true;
    }
}
