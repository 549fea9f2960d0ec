using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/rmap.c: unmapping a page from every page table that maps it.</summary>
internal static class MmRmap
{
    /// <summary>mm/rmap.c: try_to_unmap() -> rmap_walk() (v4.14): try_to_unmap_one() on every mapping of the page.</summary>
    internal static RecipeDraft TryToUnmap() =>
        new RecipeBuilder(try_to_unmap, "mm/rmap.c: try_to_unmap() (v4.14)")
            .ForEachMapping("vma", "done")
            .Call(try_to_unmap_one)
            .NextMapping("vma")
            .Label("done")
            .Build();

    /// <summary>
    /// mm/rmap.c: try_to_unmap_one() (v4.14, rmap.c:1331-1564) for one mapping. Reclaim may defer the CPU flush
    /// (should_defer_flush: ptep_get_and_clear + set_tlb_ubc_flush_pending, which raises
    /// mm->tlb_flush_batched for flush_tlb_batched_pending); migration always flushes
    /// (ptep_clear_flush). The PTE becomes a swap or migration entry; then, at the "discard" label,
    /// page_remove_rmap, put_page and the secondary-TLB invalidation, still under the PTL.
    /// </summary>
    internal static RecipeDraft TryToUnmapOne() =>
        new RecipeBuilder(try_to_unmap_one, "mm/rmap.c: try_to_unmap_one() (v4.14)")
            .Step(mmu_notifier_invalidate_range_start)
            .Step(pte_offset_map_lock)
            .IfNot(check_pte, "unlock")
            .If(should_defer_flush, "batched")
            // ptep_clear_flush():
            .Step(ptep_get_and_clear)
            .Step(flush_tlb_page)
            .Goto("cleared")
            .Label("batched")
            .Step(ptep_get_and_clear)
            .Step(set_tlb_ubc_flush_pending)
            .Label("cleared")
            .Step(set_page_dirty)
            .If(TTU_MIGRATION, "migration")
            // "if (unlikely(PageSwapBacked(page) != PageSwapCache(page))) { WARN_ON_ONCE(1);
            // ret = false; ... break; }": the PTE stays cleared.
            .IfNot(PageSwapCache, "unlock")
            // "if (swap_duplicate(entry) < 0) { set_pte_at(mm, address, pvmw.pte, pteval); ret = false; ... break; }"
            .IfNot(swap_duplicate, "restore", Page)
            .Step(swp_entry_to_pte)
            .Goto("set")
            .Label("migration")
            .Step(make_migration_entry)
            .Label("set")
            .Step(set_pte_at)
            // discard:
            .Step(page_remove_rmap, Page)
            // Never the last reference: reclaim and migration hold one until after range_end.
            .Step(put_page, Page)
            .Step(mmu_notifier_invalidate_range)
            .Goto("unlock")
            .Label("restore")
            .Step(set_pte_at, PteVal)
            .Label("unlock")
            .Step(pte_unmap_unlock)
            .Step(mmu_notifier_invalidate_range_end)
            .Build();

    /// <summary>
    /// mm/rmap.c: flush_tlb_batched_pending() (v4.14, rmap.c:658-670): "if (mm->tlb_flush_batched) {
    /// flush_tlb_mm(mm); barrier(); mm->tlb_flush_batched = false; }". Three actions, not one: the
    /// caller holds one PTE page's lock, and reclaim may set the field again under another's between
    /// the flush and the clear (5ee2fa2f0636, knob tlb_flush_batched counter).
    /// </summary>
    internal static RecipeDraft FlushTlbBatchedPending() =>
        new RecipeBuilder(flush_tlb_batched_pending, "mm/rmap.c: flush_tlb_batched_pending() (v4.14)")
            .IfNot(tlb_flush_batched, "out")
            .Step(flush_tlb_mm)
            // "Do not allow the compiler to re-order the clearing of tlb_flush_batched before the tlb is flushed."
            .Step(clear_tlb_flush_batched)
            .Label("out")
            .Build();
}
