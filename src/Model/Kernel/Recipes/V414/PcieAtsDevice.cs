using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>A PCIe device with ATS and PRI behind an SVA-bound IOMMU (hardware, not kernel code).</summary>
internal static class PcieAtsDevice
{
    /// <summary>
    /// A device DMA with PCIe ATS/PRI against an SVA-bound mm. The device translates only through
    /// its ATC. On a miss it sends an ATS Translation Request; the IOMMU answers it as a hardware
    /// action of its own (from its IOTLB, or by walking the CPU page table with no kernel lock), so a
    /// PTE change and an invalidation can fall between request, walk and completion. The device
    /// takes the Translation Completion: caches it in its ATC and retries, discards it if an
    /// invalidation made it stale (and asks again), or, when there is no translation, sends a PRI
    /// page request and waits for the kernel to fault the page in.
    /// </summary>
    internal static RecipeDraft DeviceAccess() =>
        new RecipeBuilder(device_access, "PCIe ATS (Address Translation Services) and PRI; the PPR flow of drivers/iommu/amd_iommu_v2.c (v4.14)")
            .Label("retry")
            .If(dma_access, "done")
            .Step(ats_translation_request)
            // Cached, or discarded as stale: look in the ATC again (and ask again on a miss).
            .If(ats_translation_completion, "retry")
            .Step(pri_page_request)
            .Step(pri_wait_response)
            .Goto("retry")
            .Label("done")
            .Build();
}
