namespace Fuzz.Model.Kernel;

/// <summary>
/// Which v4.14 SVA driver sits behind mmu_notifier. Both implement ->invalidate_range (flush IOTLB
/// and device ATC, wait for completion); only intel-svm implements ->change_pte, which flushes too,
/// so under intel-svm set_pte_at_notify() hides a missing ->invalidate_range (seed (b) needs amd).
/// </summary>
public enum IommuDriver : byte
{
    /// <summary>drivers/iommu/amd_iommu_v2.c: no change_pte callback.</summary>
    AmdIommuV2,
    /// <summary>drivers/iommu/intel-svm.c: intel_change_pte() flushes the address.</summary>
    IntelSvm,
}
