using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>A PCIe device with ATS and PRI behind an SVA-bound IOMMU (hardware, not kernel code).</summary>
internal static class PcieAtsDevice
{
    /// <summary>
    /// A device DMA with PCIe ATS/PRI against an SVA-bound mm: use the ATC, else ask the IOMMU to
    /// translate (it walks the CPU page table with no kernel lock), else send a PRI page request and
    /// wait for the kernel to fault the page in, then retry.
    /// </summary>
    internal static RecipeDraft DeviceAccess() =>
        new RecipeBuilder(device_access, "PCIe ATS/PRI device; drivers/iommu/amd_iommu_v2.c PPR flow (v4.14)")
            .Label("retry")
            .If(dma_access, "done")
            .If(ats_translate, "retry")
            .Step(pri_page_request)
            .Step(pri_wait_response)
            .Goto("retry")
            .Label("done")
            .Build();
}
