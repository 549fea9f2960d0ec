using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// Swap: slots (swap_map counts), the swap cache and the reclaim free. The slot a swap PTE names is
/// <see cref="Pte.Slot"/>; a swap cache page remembers its slot (page_private). Writing pages out
/// is in <c>Steps.Writeback.cs</c>, reading them in in <c>Steps.SwapIn.cs</c>.
/// </summary>
internal static partial class Steps
{
    [Step(StepCategory.Page, "get_swap_page() + add_to_swap_cache(): the page gets a slot and joins the swap cache, dirty")]
    internal static bool add_to_swap(Simulator s, int ai, in Instr ins)
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
    [Step(StepCategory.Page, "swap_duplicate(entry): one more PTE refers to the slot")]
    internal static bool swap_duplicate(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte live = ref s.M.PteAt(c.Mm, c.Va);
        int slot = ins.Operand == Operand.Page
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
    [Step(StepCategory.Page, "swap_free(entry): one PTE fewer refers to the slot")]
    internal static bool swap_free(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int slot = ins.Operand == Operand.Page
            ? (c.OldPfn >= 0 ? s.M.Frames[c.OldPfn].SwapSlot : -1)
            : c.OrigPte.Kind == PteKind.Swap ? c.OrigPte.Slot : -1;
        s.Trace.Last.Value = slot;
        if (slot < 0 || s.M.SwapCount[slot] <= 0) return false;
        s.M.SwapCount[slot]--;
        s.M.MaybeFreeSlot(slot);
        return true;
    }

    /// <summary>
    /// zap_pte_range() on a swap entry: free_swap_and_cache(entry) (swapfile.c:1625-1660). Drops the
    /// PTE's slot reference; if only the swap cache is left and its page can be locked, is unmapped
    /// and not under writeback, the page leaves the cache and is dirtied (its slot is gone).
    /// </summary>
    [Step(StepCategory.Page, "free_swap_and_cache(entry): drop the PTE's slot reference, and the swap cache page if nothing else needs it")]
    internal static bool free_swap_and_cache(Simulator s, int ai, in Instr ins)
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
            if (f.LockedBy == 0 && f.MapCount == 0 && (f.Flags & FrameFlags.Writeback) == 0)
            {
                s.Trace.Last.Pfn = (short)pfn;
                f.Flags |= FrameFlags.Dirty;
                DeleteFromSwapCache(s, ai, pfn);
            }
        }
        s.M.MaybeFreeSlot(slot);
        return true;
    }

    /// <summary>
    /// try_to_free_swap(page) (swapfile.c:1583-1616), page locked: a swap cache page whose slot no
    /// swap PTE refers to any more, and which is not under writeback, leaves the swap cache and is
    /// dirtied. It does not look at the mapcount: callers that need the page unmapped check first.
    /// </summary>
    [Step(StepCategory.Page, "try_to_free_swap(page): leave the swap cache (dirty) when no swap PTE refers to the slot and no writeback runs")]
    internal static bool try_to_free_swap(Simulator s, int ai, in Instr ins) => TryToFreeSwap(s, ai, s.Agents[ai].Ctx.OldPfn);

    internal static bool TryToFreeSwap(Simulator s, int ai, int pfn)
    {
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        if (!f.InSwapCache || (f.Flags & FrameFlags.Writeback) != 0 || s.M.SwapCount[f.SwapSlot] > 0) return false;
        f.Flags |= FrameFlags.Dirty;
        DeleteFromSwapCache(s, ai, pfn);
        return true;
    }

    /// <summary>do_swap_page(): lookup_swap_cache(entry) for the slot orig_pte names.</summary>
    [Step(StepCategory.Page, "lookup_swap_cache(entry): the slot's page, with a reference, if it is still cached")]
    internal static bool lookup_swap_cache(Simulator s, int ai, in Instr ins)
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
    /// __remove_mapping(): "if (!page_ref_freeze(page, 2)) goto cannot_free; if (PageDirty(page))
    /// ... goto cannot_free;" then __delete_from_swap_cache(). Only reclaim's isolation reference and
    /// the swap cache's may remain: any other (a pin, a lookup) keeps the page.
    /// </summary>
    [Step(StepCategory.Check, "__remove_mapping(): page_ref_freeze(page, 2) fails if anyone else holds the page; else leave the swap cache")]
    internal static bool __remove_mapping(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0) return false;
        ref Frame f = ref s.M.Frames[c.OldPfn];
        s.Trace.Last.Pfn = (short)c.OldPfn;
        s.Trace.Last.Value = f.RefCount;
        if (f.RefCount != 2 || (f.Flags & FrameFlags.Dirty) != 0 || !f.InSwapCache) return false;
        f.RefCount = 0;
        c.WritebackSlot = f.SwapSlot;
        s.M.RemoveFromSwapCache(c.OldPfn);
        return true;
    }

    /// <summary>free_hot_cold_page_list(): the reclaimed page (refcount frozen at 0) goes back to the allocator.</summary>
    [Step(StepCategory.Page, "free the reclaimed page (after try_to_unmap_flush)")]
    internal static bool free_hot_cold_page_list(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int pfn = c.OldPfn;
        if (pfn < 0 || s.M.Frames[pfn].IsFree || s.M.Frames[pfn].RefCount != 0) return false;
        s.Trace.Last.Pfn = (short)pfn;
        // The slot's data is the page's from now on, if a swap PTE still names the slot (a zap may
        // have dropped them all): every write since the swap device last wrote it out is lost.
        if (c.WritebackSlot >= 0 && s.M.SwapCount[c.WritebackSlot] > 0)
            LostWriteOracle.CheckWriteback(s, ai, pfn, s.M.Frames[pfn].SwapSeq);
        AccountingOracle.CheckFree(s, ai, pfn);
        s.M.FreeFrame(pfn);
        return true;
    }

    [Step(StepCategory.Check, "PageSwapCache(page) && page_private(page) == entry: still the slot's swap cache page", Predicate = true)]
    internal static bool PageSwapCache(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0) return false;
        ref Frame f = ref s.M.Frames[c.OldPfn];
        return f.InSwapCache && (c.OrigPte.Kind != PteKind.Swap || f.SwapSlot == c.OrigPte.Slot);
    }

    [Step(StepCategory.Check, "PageDirty(page): the page must be written back before it is dropped", Predicate = true)]
    internal static bool PageDirty(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        return pfn >= 0 && (s.M.Frames[pfn].Flags & FrameFlags.Dirty) != 0;
    }

    [Step(StepCategory.Page, "if (pte_dirty(pteval)) set_page_dirty(page): the PTE's dirty bit moves to the page")]
    internal static bool set_page_dirty(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0 || !c.PteVal.Dirty) return false;
        s.M.Frames[c.OldPfn].Flags |= FrameFlags.Dirty;
        return true;
    }

    /// <summary>zap_pte_range(): pte_clear_not_present_full() on a swap or migration entry.</summary>
    [Step(StepCategory.PteWrite, "clear a swap or migration entry (zap)")]
    internal static bool pte_clear_not_present_full(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.M.WritePte(c.Mm, c.Va) = Pte.None;
        return true;
    }
}
