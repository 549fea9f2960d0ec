using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>arch/x86/mm/fault.c and the x86 MMU: a user access, its page fault, the retry.</summary>
internal static class ArchX86Fault
{
    /// <summary>
    /// A user load or store as the x86 MMU performs it: TLB hit, or a page walk that fills the TLB
    /// (setting the PTE's accessed/dirty bits); anything else raises #PF, the kernel handles it, and
    /// the instruction is retried. A permission miss on a TLB hit drops the entry, as x86 does on #PF.
    /// </summary>
    internal static RecipeDraft CpuAccess() =>
        new RecipeBuilder(cpu_access, "x86 MMU (SDM vol.3 4.10); arch/x86/mm/fault.c retry (v4.14)")
            .Label("retry")
            .IfNot(mmu_access, "fault")
            .Return()
            .Label("fault")
            .Call(do_page_fault)
            .Goto("retry")
            .Build();

    /// <summary>
    /// arch/x86/mm/fault.c: __do_page_fault() (v4.14, fault.c:1262-1481): mmap_sem for read around
    /// handle_mm_fault(), with FAULT_FLAG_ALLOW_RETRY (fault.c:1269). On VM_FAULT_RETRY the fault
    /// has dropped mmap_sem already; it is retried once without ALLOW_RETRY (fault.c:1463-1469).
    /// The model's O_DIRECT takes this path too, as get_user_pages_unlocked()'s faultin_page()
    /// passes ALLOW_RETRY and retries the same way.
    /// </summary>
    internal static RecipeDraft DoPageFault() =>
        new RecipeBuilder(do_page_fault, "arch/x86/mm/fault.c: __do_page_fault() (v4.14)")
            .Step(fault_flags)
            .Label("retry")
            .Step(down_read_mmap_sem)
            .CallIfNot(handle_mm_fault, "vm_fault_retry")
            .Step(up_read_mmap_sem)
            .Return()
            .Label("vm_fault_retry")
            .Step(fault_flag_tried)
            .Goto("retry")
            .Build();
}
