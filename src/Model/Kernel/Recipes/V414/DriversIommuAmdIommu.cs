using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>drivers/iommu/amd_iommu.c: the IOMMUv2 (PASID) flush behind amd_iommu_flush_page/amd_iommu_flush_tlb.</summary>
internal static class DriversIommuAmdIommu
{
    /// <summary>
    /// drivers/iommu/amd_iommu.c:3281-3340 __flush_pasid(): INVALIDATE_IOMMU_PAGES to every IOMMU of
    /// the domain, domain_flush_complete() (COMPLETION_WAIT and a spin on cmd_sem, :1073-1099,
    /// :1274-1288), INVALIDATE_IOTLB_PAGES to each ATS device, domain_flush_complete() again. The
    /// order is the driver's: "IOMMU TLB needs to be flushed before Device TLB to prevent device
    /// TLB refill from IOMMU TLB" (:3293-3296); otherwise the device, its ATC just invalidated,
    /// asks again and the IOMMU answers from the stale IOTLB entry.
    /// </summary>
    internal static RecipeDraft FlushPasid() =>
        new RecipeBuilder(RecipeId.__flush_pasid, "drivers/iommu/amd_iommu.c: __flush_pasid() (v4.14)")
            .Step(build_inv_iommu_pasid)
            // Wait until IOMMU TLB flushes are complete; otherwise the device's refill below can
            // still be answered from the IOTLB.
            .Step(domain_flush_complete)
            .Step(build_inv_iotlb_pasid)
            // Wait until all device TLBs are flushed; otherwise the caller goes on (sets the new
            // PTE, frees the page) while the ATC still translates to the old page.
            .Step(domain_flush_complete)
            .Build();
}
