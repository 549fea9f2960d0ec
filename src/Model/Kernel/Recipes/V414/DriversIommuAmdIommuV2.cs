using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>drivers/iommu/amd_iommu_v2.c: the page-request (PPR) work item.</summary>
internal static class DriversIommuAmdIommuV2
{
    /// <summary>
    /// drivers/iommu/amd_iommu_v2.c: do_fault() (v4.14), the PPR work item: handle_mm_fault() under
    /// mmap_sem for read, then finish_pri_tag() answers the device.
    /// </summary>
    internal static RecipeDraft IommuDoFault() =>
        new RecipeBuilder(iommu_do_fault, "drivers/iommu/amd_iommu_v2.c: do_fault() (v4.14)")
            .Step(down_read_mmap_sem)
            .Call(handle_mm_fault)
            .Step(up_read_mmap_sem)
            .Step(finish_pri_tag)
            .Build();
}
