using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>drivers/iommu/amd_iommu_v2.c: the PPR work item and the mmu_notifier callbacks (iommu_mn, :429-433).</summary>
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

    /// <summary>
    /// drivers/iommu/amd_iommu_v2.c:394-409 mn_invalidate_range(): a range within one page is flushed
    /// as that page (amd_iommu_flush_page(domain, pasid, start)); anything larger flushes the whole
    /// PASID (amd_iommu_flush_tlb(domain, pasid)). Both take domain->lock and call __flush_pasid()
    /// (drivers/iommu/amd_iommu.c:3348-3381); the lock is left out (docs/fidelity.md).
    /// </summary>
    internal static RecipeDraft MnInvalidateRange() =>
        new RecipeBuilder(mn_invalidate_range, "drivers/iommu/amd_iommu_v2.c: mn_invalidate_range() (v4.14)")
            .IfNot(single_page_range, "whole")
            .Step(amd_iommu_flush_page)
            .Call(__flush_pasid)
            .Return()
            .Label("whole")
            .Step(amd_iommu_flush_tlb)
            .Call(__flush_pasid)
            .Build();

    /// <summary>
    /// drivers/iommu/amd_iommu_v2.c:383-392 mn_clear_flush_young(): __mn_flush_page() for each page of
    /// [start, end), that is amd_iommu_flush_page(domain, pasid, address) -> __flush_pasid(); it
    /// returns 0 (never young). Its caller, ptep_clear_flush_young_notify(), passes one page.
    /// </summary>
    internal static RecipeDraft MnClearFlushYoung() =>
        new RecipeBuilder(mn_clear_flush_young, "drivers/iommu/amd_iommu_v2.c: mn_clear_flush_young() (v4.14)")
            .Step(amd_iommu_flush_page)
            .Call(__flush_pasid)
            .Build();
}
