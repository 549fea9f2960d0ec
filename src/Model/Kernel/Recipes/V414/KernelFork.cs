using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>kernel/fork.c: dup_mmap().</summary>
internal static class KernelFork
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
    internal static RecipeDraft Fork() =>
        new RecipeBuilder(fork, "kernel/fork.c: dup_mmap() (v4.14)")
            .Step(dup_mm)
            .Step(down_write_mmap_sem)
            .Step(down_write_mmap_sem, Child)
            .Call(copy_page_range)
            .Step(up_write_mmap_sem, Child)
            .Step(flush_tlb_mm)
            .Step(up_write_mmap_sem)
            .Step(wake_up_new_task)
            .Build();
}
