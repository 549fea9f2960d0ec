namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>
    /// mm/memory.c: do_swap_page() (v4.14), entered from handle_pte_fault() for a non-present PTE.
    /// A migration entry waits for the migration instead. Otherwise the page comes from the swap
    /// cache or is read in; under its page lock it must still be the slot's cache page ("Make sure
    /// try_to_free_swap or reuse_swap_page or swapoff did not release the swapcache from under us"),
    /// and under the PTL the PTE must still be the swap entry (pte_same). A write fault may take the
    /// page writable at once when reuse_swap_page() says it is ours alone and (v5.19) no reference
    /// beyond the fault's and the swap cache's exists; otherwise the write faults again and breaks
    /// CoW in do_wp_page().
    /// Before the PTE is set, the fixed kernel calls flush_tlb_batched_pending(): reclaim's deferred
    /// flush (TTU_BATCH_FLUSH) can still be pending when the page it unmapped has been removed from
    /// the swap cache, so the slot is read into a new frame while another CPU still holds a
    /// translation of the old one and reads data older than a completed write. The rule
    /// 3ea277194daa gave mprotect, munmap and madvise, applied to swap-in. v4.14 does not have it, nor,
    /// as far as we have read, does mainline: it is proposed by this tool, and
    /// kernels/v4.14-swapin-no-batched-flush.kernel removes it.
    /// </summary>
    private static RecipeDraft DoSwapPage() =>
        new RecipeBuilder(RecipeId.do_swap_page, "mm/memory.c: do_swap_page() (v4.14; page_count check from v5.19; flush_tlb_batched_pending proposed)")
            .If(StepId.is_migration_entry, "migration", Operand.Orig)
            .If(StepId.lookup_swap_cache, "found")
            .IfNot(StepId.read_swap_cache_async, "out")
            .Label("found")
            .Step(StepId.lock_page)
            .IfNot(StepId.PageSwapCache, "out_page")
            .Step(StepId.pte_offset_map_lock)
            .IfNot(StepId.pte_same, "out_nomap")
            .Step(StepId.flush_tlb_batched_pending)
            .Step(StepId.mk_pte, Operand.Page)
            .IfNot(StepId.write_fault, "setpte")
            .IfNot(StepId.reuse_swap_page, "setpte")
            .IfNot(StepId.page_count, "setpte", Operand.SwapCache)
            .Step(StepId.pte_mkdirty)
            .Step(StepId.maybe_mkwrite)
            .Label("setpte")
            .Step(StepId.set_pte_at)
            .Step(StepId.page_add_anon_rmap, Operand.Page)
            .Step(StepId.swap_free)
            .Step(StepId.unlock_page)
            .Step(StepId.pte_unmap_unlock)
            .Return()
            .Label("out_nomap")
            .Step(StepId.pte_unmap_unlock)
            .Label("out_page")
            .Step(StepId.unlock_page)
            .Step(StepId.put_page, Operand.Page)
            .Label("out")
            .Return()
            .Label("migration")
            .Call(RecipeId.migration_entry_wait)
            .Build();

    /// <summary>
    /// mm/migrate.c: migration_entry_wait() -> __migration_entry_wait() (v4.14): under the PTL, if
    /// the PTE is still a migration entry, take a reference to its page, drop the PTL and sleep until
    /// the migration unlocks the page; then the fault is retried.
    /// </summary>
    private static RecipeDraft MigrationEntryWait() =>
        new RecipeBuilder(RecipeId.migration_entry_wait, "mm/migrate.c: __migration_entry_wait() (v4.14)")
            .Step(StepId.spin_lock)
            .IfNot(StepId.is_migration_entry, "out")
            .IfNot(StepId.get_page_unless_zero, "out")
            .Step(StepId.pte_unmap_unlock)
            .Step(StepId.wait_on_page_locked)
            .Step(StepId.put_page, Operand.Page)
            .Return()
            .Label("out")
            .Step(StepId.pte_unmap_unlock)
            .Build();

    /// <summary>
    /// mm/vmscan.c: shrink_page_list() (v4.14) for one isolated anonymous page: add it to swap,
    /// unmap it everywhere (try_to_unmap with TTU_BATCH_FLUSH: the CPU flush may be deferred), flush
    /// deferred writable entries before writeback (try_to_unmap_flush_dirty), write it out, freeze
    /// its refcount (__remove_mapping fails if anyone else holds it), and flush everything deferred
    /// before the page is freed (try_to_unmap_flush).
    /// </summary>
    private static RecipeDraft ShrinkPageList() =>
        new RecipeBuilder(RecipeId.shrink_page_list, "mm/vmscan.c: shrink_page_list() (v4.14)")
            .IfNot(StepId.isolate_lru_page, "done")
            .IfNot(StepId.trylock_page, "putback")
            .If(StepId.PageSwapCache, "unmap")
            .IfNot(StepId.add_to_swap, "activate_locked")
            .Label("unmap")
            .Call(RecipeId.try_to_unmap)
            .If(StepId.page_mapped, "activate_locked")
            .IfNot(StepId.PageDirty, "free")
            .Step(StepId.try_to_unmap_flush_dirty)
            .Step(StepId.pageout)
            .Label("free")
            .IfNot(StepId.__remove_mapping, "activate_locked")
            .Step(StepId.unlock_page)
            .Step(StepId.try_to_unmap_flush)
            .Step(StepId.free_hot_cold_page_list)
            .Return()
            // keep: the page goes back on the LRU only after the deferred flush (putback_inactive_pages
            // runs in the caller, after shrink_page_list's try_to_unmap_flush()).
            .Label("activate_locked")
            .Step(StepId.unlock_page)
            .Label("putback")
            .Step(StepId.try_to_unmap_flush)
            .Step(StepId.putback_lru_page)
            .Label("done")
            .Build();

    /// <summary>mm/rmap.c: try_to_unmap() -> rmap_walk() (v4.14): try_to_unmap_one() on every mapping of the page.</summary>
    private static RecipeDraft TryToUnmap() =>
        new RecipeBuilder(RecipeId.try_to_unmap, "mm/rmap.c: try_to_unmap() (v4.14)")
            .ForEachMapping("vma", "done")
            .Call(RecipeId.try_to_unmap_one)
            .NextMapping("vma")
            .Label("done")
            .Build();

    /// <summary>
    /// mm/rmap.c: try_to_unmap_one() (v4.14) for one mapping. Reclaim may defer the CPU flush
    /// (should_defer_flush: ptep_get_and_clear + set_tlb_ubc_flush_pending, which raises
    /// mm->tlb_flush_batched for flush_tlb_batched_pending); migration always flushes
    /// (ptep_clear_flush). The PTE becomes a swap or migration entry; then, at the "discard" label,
    /// page_remove_rmap, put_page and the secondary-TLB invalidation, still under the PTL.
    /// </summary>
    private static RecipeDraft TryToUnmapOne() =>
        new RecipeBuilder(RecipeId.try_to_unmap_one, "mm/rmap.c: try_to_unmap_one() (v4.14; pinned-page check from v5.19)")
            .Step(StepId.mmu_notifier_invalidate_range_start)
            .Step(StepId.pte_offset_map_lock)
            .IfNot(StepId.check_pte, "unlock")
            .If(StepId.should_defer_flush, "batched")
            // ptep_clear_flush():
            .Step(StepId.ptep_get_and_clear)
            .Step(StepId.flush_tlb_page)
            .Goto("cleared")
            .Label("batched")
            .Step(StepId.ptep_get_and_clear)
            .Step(StepId.set_tlb_ubc_flush_pending)
            .Label("cleared")
            .Step(StepId.set_page_dirty)
            .If(StepId.TTU_MIGRATION, "migration")
            // "if (unlikely(PageSwapBacked(page) != PageSwapCache(page))) { WARN_ON_ONCE(1);
            // ret = false; ... break; }": the PTE stays cleared.
            .IfNot(StepId.PageSwapCache, "unlock")
            // "if (swap_duplicate(entry) < 0) { set_pte_at(mm, address, pvmw.pte, pteval); ret = false; ... break; }"
            .IfNot(StepId.swap_duplicate, "restore", Operand.Page)
            // v5.19 (6c287605fd56): "if (anon_exclusive && page_try_share_anon_rmap(subpage)) {
            // swap_free(entry); set_pte_at(mm, address, pvmw.pte, pteval); ret = false; ... }":
            // a pinned page stays mapped, so that the pin and the mapping keep one page (the
            // page_count() reuse rule in do_wp_page would otherwise copy it away from the pin).
            .If(StepId.page_maybe_dma_pinned, "unpin_restore")
            .Step(StepId.swp_entry_to_pte)
            .Goto("set")
            .Label("migration")
            .Step(StepId.make_migration_entry)
            .Label("set")
            .Step(StepId.set_pte_at)
            // discard:
            .Step(StepId.page_remove_rmap, Operand.Page)
            .Step(StepId.put_page, Operand.Page)
            .Step(StepId.mmu_notifier_invalidate_range)
            .Goto("unlock")
            .Label("unpin_restore")
            .Step(StepId.swap_free, Operand.Page)
            .Label("restore")
            .Step(StepId.set_pte_at, Operand.PteVal)
            .Label("unlock")
            .Step(StepId.pte_unmap_unlock)
            .Step(StepId.mmu_notifier_invalidate_range_end)
            .Build();
}
