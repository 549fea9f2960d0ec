using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/vmscan.c: reclaim of one anonymous page.</summary>
internal static class MmVmscan
{
    /// <summary>
    /// mm/vmscan.c: shrink_page_list() (v4.14, vmscan.c:957-1368) for one isolated anonymous page,
    /// as kswapd's shrink_inactive_list() calls it (ttu_flags 0, vmscan.c:1803): a page under
    /// writeback is activated (vmscan.c:1078-1112, case 2, global reclaim); a page with a young
    /// mapping is activated (page_check_references, vmscan.c:1114-1126); otherwise it gets a swap
    /// slot (add_to_swap), is unmapped everywhere (try_to_unmap with TTU_BATCH_FLUSH: the CPU flush
    /// may be deferred; a young PTE makes it fail), deferred writable entries are flushed before the
    /// write (try_to_unmap_flush_dirty), and pageout() starts the write. swap_writepage() unlocks
    /// the page: with a bio the page leaves this pass under writeback and a later pass frees it;
    /// a synchronous device (->rw_page) has finished, and the page is locked again and freed now
    /// (vmscan.c:1235-1249). The free freezes the refcount (__remove_mapping fails if anyone else
    /// holds the page) and waits for everything deferred to be flushed (try_to_unmap_flush). Pages
    /// kept go back on the LRU only after that flush (putback_inactive_pages runs in the caller,
    /// after shrink_page_list's try_to_unmap_flush(), vmscan.c:1351, 1820).
    /// </summary>
    internal static RecipeDraft ShrinkPageList() =>
        new RecipeBuilder(shrink_page_list, "mm/vmscan.c: shrink_page_list() (v4.14)")
            .IfNot(isolate_lru_page, "done")
            .IfNot(trylock_page, "keep")
            // Otherwise a page whose write is still in flight could be freed (or written again)
            // while the swap device reads it.
            .If(PageWriteback, "activate_locked")
            .CallIfNot(page_check_references, "activate_locked")
            .If(PageSwapCache, "swapped")
            .IfNot(add_to_swap, "activate_locked")
            .Label("swapped")
            .IfNot(page_mapped, "dirty")
            .Call(try_to_unmap)
            .If(page_mapped, "activate_locked")
            .Label("dirty")
            .IfNot(PageDirty, "free")
            // "Page is dirty. Flush the TLB if a writable entry potentially exists to avoid CPU
            // writes after IO starts and then write it out here." Otherwise a CPU still writing
            // through a deferred entry changes the page after the swap device took its data, and
            // the write is lost when the clean page is freed.
            .Step(try_to_unmap_flush_dirty)
            .CallIfNot(pageout, "keep_locked")
            // PAGE_SUCCESS: swap_writepage() unlocked the page.
            .If(PageWriteback, "keep")
            .If(PageDirty, "keep")
            // "A synchronous write - probably a ramdisk. Go ahead and try to reclaim the page."
            .IfNot(trylock_page, "keep")
            .If(PageDirty, "keep_locked")
            .If(PageWriteback, "keep_locked")
            .Label("free")
            .IfNot(__remove_mapping, "keep_locked")
            // __ClearPageLocked(page) (vmscan.c:1317): nobody else can reach the page now.
            .Step(unlock_page)
            // Otherwise the page is freed while a CPU that reclaim unmapped with a deferred flush
            // still caches it.
            .Step(try_to_unmap_flush)
            .Step(free_hot_cold_page_list)
            .Return()
            // activate_locked: SetPageActive (the model has no active list); keep_locked; keep.
            .Label("activate_locked")
            .Label("keep_locked")
            .Step(unlock_page)
            .Label("keep")
            .Step(try_to_unmap_flush)
            .Step(putback_lru_page)
            .Label("done")
            .Build();

    /// <summary>
    /// mm/vmscan.c: page_check_references() (v4.14, vmscan.c:858-911) for an anonymous, swap-backed
    /// page: "if (referenced_ptes) { if (PageSwapBacked(page)) return PAGEREF_ACTIVATE; ...}
    /// return PAGEREF_RECLAIM;". Returns false for PAGEREF_ACTIVATE. VM_LOCKED, PG_referenced and
    /// PAGEREF_KEEP matter only for mlocked and file pages, which the model does not have.
    /// </summary>
    internal static RecipeDraft PageCheckReferences() =>
        new RecipeBuilder(page_check_references, "mm/vmscan.c: page_check_references() (v4.14)")
            .Call(page_referenced)
            .If(referenced_ptes, "activate")
            .Return()
            .Label("activate")
            .ReturnFailure()
            .Build();

    /// <summary>
    /// mm/vmscan.c: pageout() (v4.14, vmscan.c:593-660) of a dirty swap-cache page: not at all if
    /// anyone but reclaim and the swap cache holds the page (is_page_cache_freeable, PAGE_KEEP);
    /// otherwise PG_dirty is cleared (clear_page_dirty_for_io) and ->writepage = swap_writepage()
    /// starts the write and unlocks the page (PAGE_SUCCESS). Returns false for PAGE_KEEP.
    /// (PAGE_CLEAN, clear_page_dirty_for_io finding the page clean, cannot happen here: the page is
    /// locked and was found dirty, and only lock holders clear PG_dirty.)
    /// </summary>
    internal static RecipeDraft Pageout() =>
        new RecipeBuilder(pageout, "mm/vmscan.c: pageout() (v4.14)")
            // Otherwise a page someone else holds (a pin, a swap-in that found it) is written and
            // then kept anyway; v4.14 does not write it at all.
            .IfNot(is_page_cache_freeable, "keep")
            .Step(clear_page_dirty_for_io)
            .Call(swap_writepage)
            .Return()
            .Label("keep")
            .ReturnFailure()
            .Build();
}
