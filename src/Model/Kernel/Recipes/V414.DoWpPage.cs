namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>
    /// mm/memory.c: do_wp_page() (v4.14), entered with the PTL held. The zero page and KSM pages are
    /// always copied. An anonymous page is reused in place only under its page lock and only when
    /// reuse_swap_page() says nobody else maps it; if trylock_page() fails, the PTL is dropped to sleep
    /// on the page lock and the PTE is rechecked with pte_same() afterwards.
    ///
    /// One later check is added: page_count(), from v5.9's do_wp_page() (09854ba94c6a). v4.14 reuses
    /// on mapcount alone, and a concurrent MADV_DONTNEED drops the mapcount before its TLB flush: the
    /// zapping process's CPUs can then still read the page another process is now writing in place
    /// (this tool's finding; kernels/v4.14-mapcount-reuse.kernel removes the check to show it).
    /// </summary>
    private static RecipeDraft DoWpPage() =>
        new RecipeBuilder(RecipeId.do_wp_page, "mm/memory.c: do_wp_page() (v4.14; page_count check from v5.9)")
            .IfNot(StepId.vm_normal_page, "copy_unlocked", Operand.Orig)
            .If(StepId.PageKsm, "copy")
            .IfNot(StepId.trylock_page, "slow_lock")
            .Label("reuse_check")
            .IfNot(StepId.reuse_swap_page, "no_reuse")
            .IfNot(StepId.page_count, "no_reuse")
            .Step(StepId.unlock_page)
            .Call(RecipeId.wp_page_reuse)
            .Return()
            .Label("no_reuse")
            .Step(StepId.unlock_page)
            .Label("copy")
            .Step(StepId.get_page, Operand.Page)
            .Label("copy_unlocked")
            .Step(StepId.pte_unmap_unlock)
            .Call(RecipeId.wp_page_copy)
            .Return()
            .Label("slow_lock")
            .Step(StepId.get_page, Operand.Page)
            .Step(StepId.pte_unmap_unlock)
            .Step(StepId.lock_page)
            .Step(StepId.pte_offset_map_lock)
            .IfNot(StepId.pte_same, "slow_abort")
            .Step(StepId.put_page, Operand.Page)
            .Goto("reuse_check")
            .Label("slow_abort")
            .Step(StepId.unlock_page)
            .Step(StepId.pte_unmap_unlock)
            .Step(StepId.put_page, Operand.Page)
            .Return()
            .Build();

    /// <summary>
    /// mm/memory.c: wp_page_reuse() (v4.14): make the PTE writable in place. No flush is needed: the
    /// change only adds permission, and a CPU still holding the read-only entry takes a spurious fault.
    /// </summary>
    private static RecipeDraft WpPageReuse() =>
        new RecipeBuilder(RecipeId.wp_page_reuse, "mm/memory.c: wp_page_reuse() (v4.14)")
            .Step(StepId.pte_mkyoung)
            .Step(StepId.pte_mkdirty)
            .Step(StepId.maybe_mkwrite)
            .Step(StepId.ptep_set_access_flags)
            .Step(StepId.pte_unmap_unlock)
            .Build();

    /// <summary>
    /// mm/memory.c: wp_page_copy() (v4.14). The copy is made before taking the PTL; under the PTL the
    /// PTE is rechecked, then ptep_clear_flush_notify() (clear, flush CPU TLBs, ->invalidate_range)
    /// runs before set_pte_at_notify() points the PTE at the new page ("clear pte, invalidate IOMMU/
    /// device TLB, set new pte", as the thread puts it). The old page's mapcount drops only after the
    /// switch, and its last references after invalidate_range_end.
    /// </summary>
    private static RecipeDraft WpPageCopy() =>
        new RecipeBuilder(RecipeId.wp_page_copy, "mm/memory.c: wp_page_copy() (v4.14)")
            .If(StepId.is_zero_pfn, "zero", Operand.Orig)
            .Step(StepId.alloc_page_vma)
            .Step(StepId.cow_user_page)
            .Goto("allocated")
            .Label("zero")
            .Step(StepId.alloc_zeroed_user_highpage_movable)
            .Label("allocated")
            .Step(StepId.mmu_notifier_invalidate_range_start)
            .Step(StepId.pte_offset_map_lock)
            .IfNot(StepId.pte_same, "cancel")
            .Step(StepId.mk_pte)
            .Step(StepId.pte_mkdirty)
            .Step(StepId.maybe_mkwrite)
            // ptep_clear_flush_notify():
            .Step(StepId.ptep_get_and_clear)
            .Step(StepId.flush_tlb_page)
            .Step(StepId.mmu_notifier_invalidate_range)
            .Step(StepId.page_add_new_anon_rmap)
            // set_pte_at_notify(): change_pte is called before the PTE is written.
            .Step(StepId.mmu_notifier_change_pte)
            .Step(StepId.set_pte_at)
            .Step(StepId.page_remove_rmap, Operand.Page)
            // "new_page = old_page; ... put_page(new_page)": the page table's reference to the old page.
            .Step(StepId.put_page, Operand.Page)
            .Goto("unlock")
            .Label("cancel")
            .Step(StepId.put_page, Operand.NewPage)
            .Label("unlock")
            .Step(StepId.pte_unmap_unlock)
            .Step(StepId.mmu_notifier_invalidate_range_end)
            // The reference do_wp_page() took with get_page().
            .Step(StepId.put_page, Operand.Page)
            .Build();
}
