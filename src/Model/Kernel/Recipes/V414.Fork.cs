namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>
    /// kernel/fork.c: copy_mm() -> dup_mm() -> dup_mmap() (v4.14). Every private writable PTE is
    /// write-protected on both sides; the parent's TLBs are flushed only at the end (flush_tlb_mm
    /// after the copy, under the parent's mmap_sem), and the child runs only after fork returns.
    /// The child's mmap_sem is held for write during the copy ("down_write_nested(&amp;mm->mmap_sem,
    /// SINGLE_DEPTH_NESTING)") and released before the parent's flush ("out: up_write(&amp;mm->mmap_sem);
    /// flush_tlb_mm(oldmm); up_write(&amp;oldmm->mmap_sem);"): ksmd, which ksm_fork() has told about
    /// the child, may take it in between.
    /// </summary>
    private static RecipeDraft Fork() =>
        new RecipeBuilder(RecipeId.fork, "kernel/fork.c: dup_mmap() (v4.14)")
            .Step(StepId.dup_mm)
            .Step(StepId.down_write_mmap_sem)
            .Step(StepId.down_write_mmap_sem, Operand.Child)
            .Call(RecipeId.copy_page_range)
            .Step(StepId.up_write_mmap_sem, Operand.Child)
            .Step(StepId.flush_tlb_mm)
            .Step(StepId.up_write_mmap_sem)
            .Step(StepId.wake_up_new_task)
            .Build();

    /// <summary>mm/memory.c: copy_page_range() (v4.14): is_cow_mapping, so the range is bracketed by notifier calls.</summary>
    private static RecipeDraft CopyPageRange() =>
        new RecipeBuilder(RecipeId.copy_page_range, "mm/memory.c: copy_page_range() (v4.14)")
            .Step(StepId.mmu_notifier_invalidate_range_start, Operand.Range)
            .Call(RecipeId.copy_pte_range)
            .Step(StepId.mmu_notifier_invalidate_range_end, Operand.Range)
            .Build();

    /// <summary>
    /// mm/memory.c: copy_pte_range() -> copy_one_pte() (v4.14): "if (is_cow_mapping(vm_flags) &amp;&amp;
    /// pte_write(pte)) { ptep_set_wrprotect(src_mm, addr, src_pte); pte = pte_wrprotect(pte); }",
    /// then get_page + page_dup_rmap and the child's set_pte_at. The child's entry is always
    /// read-only and old (pte_mkold here includes the local pte_wrprotect), so removing
    /// ptep_set_wrprotect leaves only the parent writable, as it would in the kernel.
    /// </summary>
    private static RecipeDraft CopyPteRange() =>
        new RecipeBuilder(RecipeId.copy_pte_range, "mm/memory.c: copy_pte_range() / copy_one_pte() (v4.14)")
            .Step(StepId.pte_alloc_map_lock, Operand.Child)
            .Step(StepId.spin_lock_nested)
            .ForEachPage("pte")
            .If(StepId.pte_none, "next")
            .IfNot(StepId.pte_present, "nonpresent")
            .IfNot(StepId.pte_write, "shared")
            .Step(StepId.ptep_set_wrprotect)
            .Label("shared")
            .Step(StepId.pte_mkold)
            .IfNot(StepId.vm_normal_page, "set")
            .Step(StepId.get_page, Operand.Page)
            .Step(StepId.page_dup_rmap, Operand.Page)
            .Label("set")
            .Step(StepId.set_pte_at, Operand.Child)
            .Goto("next")
            // Swap entries are shared by both sides (swap_duplicate); a write migration entry is
            // made a read one in the parent, so both sides fault to CoW once the page is back.
            .Label("nonpresent")
            .Step(StepId.swap_duplicate)
            .Step(StepId.make_migration_entry_read)
            .Step(StepId.pte_mkold)
            .Step(StepId.set_pte_at, Operand.Child)
            .Label("next")
            .NextPage("pte")
            .Step(StepId.spin_unlock)
            .Step(StepId.pte_unmap_unlock, Operand.Child)
            .Build();
}
