namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>
    /// mm/ksm.c: cmp_and_merge_page() -> try_to_merge_two_pages() (v4.14): two identical anonymous
    /// pages, each held by ksmd with a reference: the first becomes the KSM page, then the second
    /// (the unstable-tree page) is merged into it.
    /// </summary>
    private static RecipeDraft KsmMerge() =>
        new RecipeBuilder(RecipeId.ksm_merge, "mm/ksm.c: cmp_and_merge_page() / try_to_merge_two_pages() (v4.14)")
            .IfNot(StepId.follow_page, "done")
            .IfNot(StepId.follow_page, "put_page", Operand.Tree)
            .IfNot(StepId.pages_identical, "put_tree", Operand.Tree)
            .CallIfNot(RecipeId.try_to_merge_with_ksm_page, "put_tree")
            .Step(StepId.tree_page)
            .Call(RecipeId.try_to_merge_with_ksm_page)
            .Step(StepId.put_page, Operand.Page)
            .Step(StepId.put_page, Operand.KPage)
            .Return()
            .Label("put_tree")
            .Step(StepId.put_page, Operand.Tree)
            .Label("put_page")
            .Step(StepId.put_page, Operand.Page)
            .Label("done")
            .Build();

    /// <summary>
    /// mm/ksm.c: try_to_merge_with_ksm_page() -> try_to_merge_one_page() (v4.14): under mmap_sem and
    /// the page lock ("We need the page lock to read a stable PageSwapCache in write_protect_page"),
    /// write-protect the page; then either make it the KSM page (no kpage) or, if its data still
    /// equals kpage's, point its PTE at kpage.
    /// </summary>
    private static RecipeDraft TryToMergeWithKsmPage() =>
        new RecipeBuilder(RecipeId.try_to_merge_with_ksm_page, "mm/ksm.c: try_to_merge_one_page() (v4.14)")
            .Step(StepId.down_read_mmap_sem)
            .IfNot(StepId.trylock_page, "fail_up")
            .CallIfNot(RecipeId.write_protect_page, "fail_unlock")
            .If(StepId.kpage, "merge")
            .Step(StepId.set_page_stable_node)
            .Goto("ok")
            .Label("merge")
            .IfNot(StepId.pages_identical, "fail_unlock")
            .CallIfNot(RecipeId.replace_page, "fail_unlock")
            .Label("ok")
            .Step(StepId.unlock_page)
            .Step(StepId.up_read_mmap_sem)
            .Return()
            .Label("fail_unlock")
            .Step(StepId.unlock_page)
            .Label("fail_up")
            .Step(StepId.up_read_mmap_sem)
            .ReturnFailure()
            .Build();

    /// <summary>
    /// mm/ksm.c: write_protect_page() (v4.14). If the PTE is writable or dirty, or the mm has a TLB
    /// flush pending (a read-only PTE may still have a writable stale entry), clear it and flush
    /// (ptep_clear_flush_notify in v4.14; v4.15 dropped the _notify), then check for pins: "we clear
    /// the pte and flush the tlb before the check this assure us that no O_DIRECT can happen after
    /// the check or in the middle of the check". A pinned page gets its PTE back and is not merged.
    /// </summary>
    private static RecipeDraft WriteProtectPage() =>
        new RecipeBuilder(RecipeId.write_protect_page, "mm/ksm.c: write_protect_page() (v4.14)")
            .Step(StepId.mmu_notifier_invalidate_range_start)
            .Step(StepId.pte_offset_map_lock)
            .IfNot(StepId.check_pte, "fail_unlock")
            .If(StepId.pte_write, "protect")
            .If(StepId.pte_dirty, "protect")
            .IfNot(StepId.mm_tlb_flush_pending, "done")
            .Label("protect")
            // ptep_clear_flush_notify():
            .Step(StepId.ptep_get_and_clear)
            .Step(StepId.flush_tlb_page)
            .Step(StepId.mmu_notifier_invalidate_range)
            .If(StepId.page_pinned, "restore")
            .Step(StepId.set_page_dirty)
            .Step(StepId.pte_mkclean)
            // set_pte_at_notify():
            .Step(StepId.mmu_notifier_change_pte)
            .Step(StepId.set_pte_at)
            .Label("done")
            .Step(StepId.orig_pte_snapshot)
            .Step(StepId.pte_unmap_unlock)
            .Step(StepId.mmu_notifier_invalidate_range_end)
            .Return()
            .Label("restore")
            .Step(StepId.set_pte_at, Operand.PteVal)
            .Label("fail_unlock")
            .Step(StepId.pte_unmap_unlock)
            .Step(StepId.mmu_notifier_invalidate_range_end)
            .ReturnFailure()
            .Build();

    /// <summary>
    /// mm/ksm.c: replace_page() (v4.14): under the PTL, recheck the PTE against the write-protected
    /// value (pte_same), point it at kpage with ptep_clear_flush_notify() before set_pte_at_notify()
    /// (case B of mmu_notifier.txt: the PTE now names another page), and drop the old mapping.
    /// </summary>
    private static RecipeDraft ReplacePage() =>
        new RecipeBuilder(RecipeId.replace_page, "mm/ksm.c: replace_page() (v4.14)")
            .Step(StepId.mmu_notifier_invalidate_range_start)
            .Step(StepId.pte_offset_map_lock)
            .IfNot(StepId.pte_same, "fail")
            .Step(StepId.get_page, Operand.KPage)
            .Step(StepId.page_add_anon_rmap, Operand.KPage)
            .Step(StepId.mk_pte, Operand.KPage)
            // ptep_clear_flush_notify():
            .Step(StepId.ptep_get_and_clear)
            .Step(StepId.flush_tlb_page)
            .Step(StepId.mmu_notifier_invalidate_range)
            // set_pte_at_notify():
            .Step(StepId.mmu_notifier_change_pte)
            .Step(StepId.set_pte_at)
            .Step(StepId.page_remove_rmap, Operand.Page)
            .Step(StepId.try_to_free_swap)
            .Step(StepId.put_page, Operand.Page)
            .Step(StepId.pte_unmap_unlock)
            .Step(StepId.mmu_notifier_invalidate_range_end)
            .Return()
            .Label("fail")
            .Step(StepId.pte_unmap_unlock)
            .Step(StepId.mmu_notifier_invalidate_range_end)
            .ReturnFailure()
            .Build();

    /// <summary>
    /// read(2) with O_DIRECT into the page (fs/direct-io.c, v4.14): get_user_pages_fast() pins it
    /// (or, if it is not writable-mapped, get_user_pages() faults it in for writing and tries again),
    /// the disk's DMA writes the data by physical address, and the pin is dropped.
    /// </summary>
    private static RecipeDraft OdirectRead() =>
        new RecipeBuilder(RecipeId.odirect_read, "fs/direct-io.c -> get_user_pages_fast() (v4.14)")
            .Label("retry")
            .If(StepId.get_user_pages_fast, "io")
            .Call(RecipeId.do_page_fault)
            .Goto("retry")
            .Label("io")
            .Step(StepId.submit_bio)
            .Step(StepId.put_page, Operand.Pin)
            .Build();
}
