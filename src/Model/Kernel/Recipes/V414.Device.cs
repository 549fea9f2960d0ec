namespace Fuzz.Model.Kernel.Recipes;

internal static partial class V414
{
    /// <summary>
    /// A device DMA with PCIe ATS/PRI against an SVA-bound mm: use the ATC, else ask the IOMMU to
    /// translate (it walks the CPU page table with no kernel lock), else send a PRI page request and
    /// wait for the kernel to fault the page in, then retry.
    /// </summary>
    private static RecipeDraft DeviceAccess() =>
        new RecipeBuilder(RecipeId.device_access, "PCIe ATS/PRI device; drivers/iommu/amd_iommu_v2.c PPR flow (v4.14)")
            .Label("retry")
            .If(StepId.dma_access, "done")
            .If(StepId.ats_translate, "retry")
            .Step(StepId.pri_page_request)
            .Step(StepId.pri_wait_response)
            .Goto("retry")
            .Label("done")
            .Build();

    /// <summary>
    /// drivers/iommu/amd_iommu_v2.c: do_fault() (v4.14), the PPR work item: handle_mm_fault() under
    /// mmap_sem for read, then finish_pri_tag() answers the device.
    /// </summary>
    private static RecipeDraft IommuDoFault() =>
        new RecipeBuilder(RecipeId.iommu_do_fault, "drivers/iommu/amd_iommu_v2.c: do_fault() (v4.14)")
            .Step(StepId.down_read_mmap_sem)
            .Call(RecipeId.handle_mm_fault)
            .Step(StepId.up_read_mmap_sem)
            .Step(StepId.finish_pri_tag)
            .Build();
}
