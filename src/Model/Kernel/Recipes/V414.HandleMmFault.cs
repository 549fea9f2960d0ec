namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>
    /// mm/memory.c: handle_mm_fault() -> __handle_mm_fault() -> handle_pte_fault() (v4.14).
    /// orig_pte is read without the PTL; everything decided from it is rechecked under the PTL with
    /// pte_same() ("if (unlikely(!pte_same(*vmf->pte, entry))) goto unlock;").
    /// </summary>
    private static RecipeDraft HandleMmFault() =>
        new RecipeBuilder(RecipeId.handle_mm_fault, "mm/memory.c: handle_pte_fault() (v4.14)")
            .Step(StepId.read_orig_pte)
            .If(StepId.pte_none, "anonymous", Operand.Orig)
            .IfNot(StepId.pte_present, "swap", Operand.Orig)
            .Step(StepId.spin_lock)
            .IfNot(StepId.pte_same, "unlock")
            .IfNot(StepId.write_fault, "young")
            .IfNot(StepId.pte_write, "wp", Operand.Orig)
            .Label("young")
            // Spurious fault: another CPU already fixed the PTE; update accessed/dirty in place.
            .Step(StepId.pte_mkyoung)
            .Step(StepId.ptep_set_access_flags)
            .Label("unlock")
            .Step(StepId.pte_unmap_unlock)
            .Return()
            .Label("anonymous")
            .Call(RecipeId.do_anonymous_page)
            .Return()
            .Label("wp")
            .Call(RecipeId.do_wp_page)
            .Return()
            .Label("swap")
            .Call(RecipeId.do_swap_page)
            .Return()
            .Build();
}
