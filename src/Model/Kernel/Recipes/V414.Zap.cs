namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>mm/madvise.c: madvise() -> madvise_dontneed_single_vma() (v4.14): mmap_sem for read.</summary>
    private static RecipeDraft MadviseDontneed() =>
        new RecipeBuilder(RecipeId.madvise_dontneed, "mm/madvise.c: madvise_dontneed_single_vma() (v4.14)")
            .Step(StepId.down_read_mmap_sem)
            .Call(RecipeId.zap_page_range)
            .Step(StepId.up_read_mmap_sem)
            .Build();

    /// <summary>
    /// mm/memory.c: zap_page_range() (v4.14). tlb_gather_mmu() raises mm->tlb_flush_pending so that a
    /// concurrent zapper can tell a flush is still owed (mm_tlb_flush_nested in tlb_finish_mmu).
    /// </summary>
    private static RecipeDraft ZapPageRange() =>
        new RecipeBuilder(RecipeId.zap_page_range, "mm/memory.c: zap_page_range() (v4.14)")
            .Step(StepId.tlb_gather_mmu)
            .Step(StepId.mmu_notifier_invalidate_range_start, Operand.Range)
            .Call(RecipeId.zap_pte_range)
            .Step(StepId.mmu_notifier_invalidate_range_end, Operand.Range)
            .Call(RecipeId.tlb_finish_mmu)
            .Build();

    /// <summary>
    /// mm/memory.c: zap_pte_range() (v4.14). Under the PTL: honour a flush reclaim deferred
    /// (flush_tlb_batched_pending, 3ea277194daa), then per PTE clear it, record the address for the
    /// flush, drop the mapcount and queue the page in the gather; pages are freed only after the
    /// flush, in tlb_finish_mmu. A pte_none() entry is skipped: nothing to flush for it here. Swap and
    /// migration entries are cleared with their slot reference (no translation can cache them).
    /// </summary>
    private static RecipeDraft ZapPteRange() =>
        new RecipeBuilder(RecipeId.zap_pte_range, "mm/memory.c: zap_pte_range() (v4.14)")
            .Step(StepId.pte_offset_map_lock)
            .Step(StepId.flush_tlb_batched_pending)
            .ForEachPage("pte")
            .If(StepId.pte_none, "next")
            .IfNot(StepId.pte_present, "nonpresent")
            .Step(StepId.vm_normal_page)
            .Step(StepId.ptep_get_and_clear_full)
            .Step(StepId.tlb_remove_tlb_entry)
            .Step(StepId.page_remove_rmap, Operand.Page)
            .Step(StepId.__tlb_remove_page, Operand.Page)
            .Goto("next")
            // Swap and migration entries: "free_swap_and_cache(entry); pte_clear_not_present_full(...)".
            .Label("nonpresent")
            .Step(StepId.free_swap_and_cache)
            .Step(StepId.pte_clear_not_present_full)
            .Label("next")
            .NextPage("pte")
            .Step(StepId.pte_unmap_unlock)
            .Build();

    /// <summary>
    /// mm/memory.c: tlb_finish_mmu() -> arch_tlb_finish_mmu() -> tlb_flush_mmu() (v4.14, with
    /// 99baac21e458 / 56236a59556c): if another thread batches flushes for this mm
    /// (mm_tlb_flush_nested), flush the whole range even if this thread cleared nothing. Then
    /// tlb_flush_mmu_tlbonly() (skipped when the gather recorded nothing: "if (!tlb->end) return;"):
    /// CPU flush and ->invalidate_range; then the gathered pages are freed; then the pending count drops.
    /// </summary>
    private static RecipeDraft TlbFinishMmu() =>
        new RecipeBuilder(RecipeId.tlb_finish_mmu, "mm/memory.c: tlb_finish_mmu() (v4.14)")
            .Step(StepId.mm_tlb_flush_nested)
            .Step(StepId.tlb_flush)
            .Step(StepId.mmu_notifier_invalidate_range, Operand.Gather)
            .Step(StepId.tlb_flush_mmu_free)
            .Step(StepId.dec_tlb_flush_pending)
            .Build();
}
