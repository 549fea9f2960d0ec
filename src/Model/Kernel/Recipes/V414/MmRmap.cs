using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/rmap.c: unmapping a page from every page table that maps it, and reclaim's look at its accessed bits.</summary>
internal static class MmRmap
{
    /// <summary>
    /// mm/rmap.c: try_to_unmap() -> rmap_walk() (v4.14, rmap.c:1600-1627): try_to_unmap_one() on
    /// every mapping of the page, until one fails ("if (!rwc->rmap_one(page, vma, address,
    /// rwc->arg)) break;", rmap.c:1733-1734); the caller then asks page_mapped() (try_to_unmap
    /// returns !page_mapcount(page)).
    /// </summary>
    internal static RecipeDraft TryToUnmap() =>
        new RecipeBuilder(try_to_unmap, "mm/rmap.c: try_to_unmap() (v4.14)")
            .ForEachMapping("vma", "done")
            .CallIfNot(try_to_unmap_one, "done")
            .NextMapping("vma")
            .Label("done")
            .Build();

    /// <summary>
    /// mm/rmap.c: try_to_unmap_one() (v4.14, rmap.c:1331-1564) for one mapping. Unless the caller
    /// passed TTU_IGNORE_ACCESS (migration does, reclaim does not), a young PTE is not unmapped:
    /// ptep_clear_flush_young_notify() clears its accessed bit (and lets ->clear_flush_young flush
    /// the device's ATC), and the walk stops with the page still mapped (rmap.c:1432-1439). Reclaim
    /// may defer the CPU flush (should_defer_flush: ptep_get_and_clear + set_tlb_ubc_flush_pending,
    /// which raises mm->tlb_flush_batched for flush_tlb_batched_pending); migration always flushes
    /// (ptep_clear_flush). The PTE becomes a swap or migration entry; then, at the "discard" label,
    /// page_remove_rmap, put_page and the secondary-TLB invalidation, still under the PTL. Every
    /// failure ("ret = false; page_vma_mapped_walk_done(&amp;pvmw); break;") stops the rmap walk; the
    /// walk's mmu_notifier_invalidate_range_end() (rmap.c:1561) follows both ways out.
    /// </summary>
    internal static RecipeDraft TryToUnmapOne() =>
        new RecipeBuilder(try_to_unmap_one, "mm/rmap.c: try_to_unmap_one() (v4.14)")
            .Step(mmu_notifier_invalidate_range_start)
            .Step(pte_offset_map_lock)
            .IfNot(check_pte, "unlock")
            .If(TTU_IGNORE_ACCESS, "nuke")
            // ptep_clear_flush_young_notify(): the x86 accessed-bit clear (no TLB flush), then the
            // secondary MMU's ->clear_flush_young.
            .Step(ptep_clear_flush_young)
            .Step(mmu_notifier_clear_flush_young)
            // Not a safety check: otherwise a page in use is swapped out and faulted straight back.
            .If(young, "fail")
            .Label("nuke")
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
            .IfNot(PageSwapCache, "fail")
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
            .Label("unlock")
            .Step(pte_unmap_unlock)
            .Step(mmu_notifier_invalidate_range_end)
            .Return()
            .Label("restore")
            .Step(set_pte_at, PteVal)
            // ret = false: the page stays mapped here, and the walk stops.
            .Label("fail")
            .Step(page_vma_mapped_walk_done)
            .Step(mmu_notifier_invalidate_range_end)
            .ReturnFailure()
            .Build();

    /// <summary>
    /// mm/rmap.c: page_referenced() (v4.14, rmap.c:835-880), the page locked by reclaim: no mapping,
    /// no reference; otherwise rmap_walk() with page_referenced_one() on every mapping, which counts
    /// the young ones (pra.referenced).
    /// </summary>
    internal static RecipeDraft PageReferenced() =>
        new RecipeBuilder(page_referenced, "mm/rmap.c: page_referenced() (v4.14)")
            .IfNot(page_mapped, "done")
            .ForEachMapping("vma", "done")
            .Call(page_referenced_one)
            .NextMapping("vma")
            .Label("done")
            .Build();

    /// <summary>
    /// mm/rmap.c: page_referenced_one() (v4.14, rmap.c:752-812) for one mapping: under its PTL
    /// (page_vma_mapped_walk), ptep_clear_flush_young_notify() (rmap.c:773): the x86 accessed-bit
    /// clear without a CPU TLB flush, and ->clear_flush_young; "if (...) referenced++". No
    /// mmu_notifier_invalidate_range_start/end: nothing is unmapped.
    /// </summary>
    internal static RecipeDraft PageReferencedOne() =>
        new RecipeBuilder(page_referenced_one, "mm/rmap.c: page_referenced_one() (v4.14)")
            .Step(pte_offset_map_lock)
            .IfNot(check_pte, "unlock")
            .Step(ptep_clear_flush_young)
            .Step(mmu_notifier_clear_flush_young)
            .Label("unlock")
            .Step(pte_unmap_unlock)
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
