namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>
    /// mm/memory.c: do_anonymous_page() (v4.14). Reads map the zero page read-only; writes allocate
    /// a zeroed page, take the PTL and recheck pte_none() ("if (!pte_none(*vmf->pte)) goto release;")
    /// before setting the PTE. No flush: the PTE was not present before.
    /// </summary>
    private static RecipeDraft DoAnonymousPage() =>
        new RecipeBuilder(RecipeId.do_anonymous_page, "mm/memory.c: do_anonymous_page() (v4.14)")
            .If(StepId.write_fault, "alloc")
            .Step(StepId.my_zero_pfn)
            .Step(StepId.pte_offset_map_lock)
            .IfNot(StepId.pte_none, "unlock")
            .Goto("setpte")
            .Label("alloc")
            .Step(StepId.alloc_zeroed_user_highpage_movable)
            .Step(StepId.mk_pte)
            .Step(StepId.pte_mkdirty)
            .Step(StepId.maybe_mkwrite)
            .Step(StepId.pte_offset_map_lock)
            .IfNot(StepId.pte_none, "release")
            .Step(StepId.page_add_new_anon_rmap)
            .Label("setpte")
            .Step(StepId.set_pte_at)
            .Label("unlock")
            .Step(StepId.pte_unmap_unlock)
            .Return()
            .Label("release")
            .Step(StepId.put_page, Operand.NewPage)
            .Goto("unlock")
            .Build();
}
