using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/madvise.c: MADV_DONTNEED.</summary>
internal static class MmMadvise
{
    /// <summary>mm/madvise.c: madvise() -> madvise_dontneed_single_vma() (v4.14): mmap_sem for read.</summary>
    internal static RecipeDraft MadviseDontneed() =>
        new RecipeBuilder(madvise_dontneed, "mm/madvise.c: madvise_dontneed_single_vma() (v4.14)")
            .Step(down_read_mmap_sem)
            .Call(zap_page_range)
            .Step(up_read_mmap_sem)
            .Build();
}
