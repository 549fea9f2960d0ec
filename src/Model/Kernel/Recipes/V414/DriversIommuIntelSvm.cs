using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>drivers/iommu/intel-svm.c: the mmu_notifier callbacks (intel_mmuops, :278-282) and their flush.</summary>
internal static class DriversIommuIntelSvm
{
    /// <summary>
    /// intel-svm.c:228-236 intel_invalidate_range(): intel_flush_svm_range(svm, start, pages, 0, 0).
    /// intel_flush_svm_range() (:203-217) first tries the "deferred invalidate" (pasid_state_table,
    /// only on ecap_dis hardware), which is left out, then calls intel_flush_svm_range_dev() for
    /// each device of the PASID (one here).
    /// </summary>
    internal static RecipeDraft IntelInvalidateRange() =>
        new RecipeBuilder(intel_invalidate_range, "drivers/iommu/intel-svm.c: intel_invalidate_range() (v4.14)")
            .Call(intel_flush_svm_range_dev)
            .Build();

    /// <summary>intel-svm.c:219-225 intel_change_pte(): intel_flush_svm_range(svm, address, 1, 1, 0), one page.</summary>
    internal static RecipeDraft IntelChangePte() =>
        new RecipeBuilder(intel_change_pte, "drivers/iommu/intel-svm.c: intel_change_pte() (v4.14)")
            .Call(intel_flush_svm_range_dev)
            .Build();

    /// <summary>
    /// intel-svm.c:157-201 intel_flush_svm_range_dev(): a PASID-based IOTLB invalidation descriptor
    /// (QI_EIOTLB_TYPE, page-selective with an address mask) through qi_submit_sync(), then, as the
    /// device has a device IOTLB (sdev->dev_iotlb), a device-IOTLB invalidation (QI_DEIOTLB_TYPE)
    /// through qi_submit_sync() again. qi_submit_sync() (drivers/iommu/dmar.c:1218-1289) queues the
    /// descriptor with an invalidation-wait descriptor and spins until the wait reads QI_DONE; the
    /// queueing and the spin are separate steps here so that a variant can drop a wait.
    /// </summary>
    internal static RecipeDraft IntelFlushSvmRangeDev() =>
        new RecipeBuilder(intel_flush_svm_range_dev, "drivers/iommu/intel-svm.c: intel_flush_svm_range_dev() (v4.14)")
            .Step(QI_EIOTLB)
            .Step(qi_submit_sync)
            .Step(QI_DEIOTLB)
            .Step(qi_submit_sync)
            .Build();
}
