namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>
    /// A user load or store as the x86 MMU performs it: TLB hit, or a page walk that fills the TLB
    /// (setting the PTE's accessed/dirty bits); anything else raises #PF, the kernel handles it, and
    /// the instruction is retried. A permission miss on a TLB hit drops the entry, as x86 does on #PF.
    /// </summary>
    private static RecipeDraft CpuAccess() =>
        new RecipeBuilder(RecipeId.cpu_access, "x86 MMU (SDM vol.3 4.10); arch/x86/mm/fault.c retry (v4.14)")
            .Label("retry")
            .IfNot(StepId.mmu_access, "fault")
            .Return()
            .Label("fault")
            .Call(RecipeId.do_page_fault)
            .Goto("retry")
            .Build();

    /// <summary>arch/x86/mm/fault.c: __do_page_fault() (v4.14): mmap_sem for read around handle_mm_fault().</summary>
    private static RecipeDraft DoPageFault() =>
        new RecipeBuilder(RecipeId.do_page_fault, "arch/x86/mm/fault.c: __do_page_fault() (v4.14)")
            .Step(StepId.down_read_mmap_sem)
            .Call(RecipeId.handle_mm_fault)
            .Step(StepId.up_read_mmap_sem)
            .Build();
}
