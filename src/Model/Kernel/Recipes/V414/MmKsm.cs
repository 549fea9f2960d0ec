using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/ksm.c: merging two identical pages into one KSM page.</summary>
internal static class MmKsm
{
    /// <summary>
    /// mm/ksm.c: cmp_and_merge_page() -> try_to_merge_two_pages() (v4.14, ksm.c:1276-1295): two
    /// identical anonymous pages, each held by ksmd with a reference: the first becomes the KSM page,
    /// then the second (the unstable-tree page) is merged into it. If the second merge fails, the
    /// first is a KSM page with only one PTE pointing to it, and break_cow() copies it back
    /// (ksm.c:1283-1292). ksmd drops its references only afterwards (cmp_and_merge_page, ksm_do_scan).
    /// </summary>
    internal static RecipeDraft KsmMerge() =>
        new RecipeBuilder(ksm_merge, "mm/ksm.c: cmp_and_merge_page() / try_to_merge_two_pages() (v4.14)")
            .IfNot(follow_page, "done")
            .IfNot(follow_page, "put_page", Tree)
            .IfNot(pages_identical, "put_tree", Tree)
            .CallIfNot(try_to_merge_with_ksm_page, "put_tree")
            .Step(tree_page)
            .CallIfNot(try_to_merge_with_ksm_page, "break_cow")
            .Label("put_both")
            .Step(put_page, Tree)
            .Step(put_page, KPage)
            .Return()
            .Label("break_cow")
            // "If that fails, we have a ksm page with only one pte pointing to it: so break it."
            .Step(rmap_item)
            .Call(break_cow)
            .Goto("put_both")
            .Label("put_tree")
            .Step(put_page, Tree)
            .Label("put_page")
            .Step(put_page, Page)
            .Label("done")
            .Build();

    /// <summary>
    /// mm/ksm.c: break_cow() -> break_ksm() (v4.14, ksm.c:451-531): under mmap_sem for read, while the
    /// address still maps a KSM page, write-fault it (handle_mm_fault with FAULT_FLAG_WRITE), which
    /// copies it (do_wp_page never reuses a KSM page). follow_page() takes a reference each time.
    /// </summary>
    internal static RecipeDraft BreakCow() =>
        new RecipeBuilder(break_cow, "mm/ksm.c: break_cow() / break_ksm() (v4.14)")
            .Step(down_read_mmap_sem)
            .Label("again")
            .IfNot(follow_page, "out", BreakPage)
            .IfNot(PageKsm, "put", BreakPage)
            .Step(fault_flag_write)
            .Call(handle_mm_fault)
            .Step(put_page, BreakPage)
            .Goto("again")
            .Label("put")
            .Step(put_page, BreakPage)
            .Label("out")
            .Step(up_read_mmap_sem)
            .Build();

    /// <summary>
    /// mm/ksm.c: try_to_merge_with_ksm_page() -> try_to_merge_one_page() (v4.14): under mmap_sem and
    /// the page lock ("We need the page lock to read a stable PageSwapCache in write_protect_page"),
    /// write-protect the page; then either make it the KSM page (no kpage) or, if its data still
    /// equals kpage's, point its PTE at kpage.
    /// </summary>
    internal static RecipeDraft TryToMergeWithKsmPage() =>
        new RecipeBuilder(try_to_merge_with_ksm_page, "mm/ksm.c: try_to_merge_one_page() (v4.14)")
            .Step(down_read_mmap_sem)
            .IfNot(trylock_page, "fail_up")
            .CallIfNot(write_protect_page, "fail_unlock")
            .If(kpage, "merge")
            .Step(set_page_stable_node)
            // "Page reclaim just frees a clean page with no dirty ptes: make sure that the ksm page
            // would be swapped" (ksm.c:1207-1211).
            .If(PageDirty, "ok")
            .Step(SetPageDirty)
            .Goto("ok")
            .Label("merge")
            .IfNot(pages_identical, "fail_unlock")
            .CallIfNot(replace_page, "fail_unlock")
            .Label("ok")
            .Step(unlock_page)
            .Step(up_read_mmap_sem)
            .Return()
            .Label("fail_unlock")
            .Step(unlock_page)
            .Label("fail_up")
            .Step(up_read_mmap_sem)
            .ReturnFailure()
            .Build();

    /// <summary>
    /// mm/ksm.c: write_protect_page() (v4.14). If the PTE is writable or dirty, or the mm has a TLB
    /// flush pending (a read-only PTE may still have a writable stale entry), clear it and flush
    /// (ptep_clear_flush_notify in v4.14; v4.15 dropped the _notify), then check for pins: "we clear
    /// the pte and flush the tlb before the check this assure us that no O_DIRECT can happen after
    /// the check or in the middle of the check". A pinned page gets its PTE back and is not merged.
    /// </summary>
    internal static RecipeDraft WriteProtectPage() =>
        new RecipeBuilder(write_protect_page, "mm/ksm.c: write_protect_page() (v4.14)")
            .Step(mmu_notifier_invalidate_range_start)
            .Step(pte_offset_map_lock)
            .IfNot(check_pte, "fail_unlock")
            .If(pte_write, "protect")
            .If(pte_dirty, "protect")
            .IfNot(mm_tlb_flush_pending, "done")
            .Label("protect")
            // ptep_clear_flush_notify():
            .Step(ptep_get_and_clear)
            .Step(flush_tlb_page)
            .Step(mmu_notifier_invalidate_range)
            .If(page_pinned, "restore")
            .Step(set_page_dirty)
            .Step(pte_mkclean)
            // set_pte_at_notify():
            .Step(mmu_notifier_change_pte)
            .Step(set_pte_at)
            .Label("done")
            .Step(orig_pte_snapshot)
            .Step(pte_unmap_unlock)
            .Step(mmu_notifier_invalidate_range_end)
            .Return()
            .Label("restore")
            .Step(set_pte_at, PteVal)
            .Label("fail_unlock")
            .Step(pte_unmap_unlock)
            .Step(mmu_notifier_invalidate_range_end)
            .ReturnFailure()
            .Build();

    /// <summary>
    /// mm/ksm.c: replace_page() (v4.14): under the PTL, recheck the PTE against the write-protected
    /// value (pte_same), point it at kpage with ptep_clear_flush_notify() before set_pte_at_notify()
    /// (case B of mmu_notifier.txt: the PTE now names another page), and drop the old mapping.
    /// </summary>
    internal static RecipeDraft ReplacePage() =>
        new RecipeBuilder(replace_page, "mm/ksm.c: replace_page() (v4.14)")
            .Step(mmu_notifier_invalidate_range_start)
            .Step(pte_offset_map_lock)
            .IfNot(pte_same, "fail")
            .Step(get_page, KPage)
            .Step(page_add_anon_rmap, KPage)
            .Step(mk_pte, KPage)
            // ptep_clear_flush_notify():
            .Step(ptep_get_and_clear)
            .Step(flush_tlb_page)
            .Step(mmu_notifier_invalidate_range)
            // set_pte_at_notify():
            .Step(mmu_notifier_change_pte)
            .Step(set_pte_at)
            .Step(page_remove_rmap, Page)
            .If(page_mapped, "mapped")
            .Step(try_to_free_swap)
            .Label("mapped")
            .Step(put_page, Page)
            .Step(pte_unmap_unlock)
            .Step(mmu_notifier_invalidate_range_end)
            .Return()
            .Label("fail")
            .Step(pte_unmap_unlock)
            .Step(mmu_notifier_invalidate_range_end)
            .ReturnFailure()
            .Build();
}
