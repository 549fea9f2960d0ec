using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>fs/block_dev.c: page I/O for devices with ->rw_page.</summary>
internal static class FsBlockDev
{
    /// <summary>
    /// fs/block_dev.c: bdev_write_page() (v4.14, block_dev.c:705-727): -EOPNOTSUPP unless the device
    /// has ->rw_page (brd, zram, pmem: knob swap_device sync); then set_page_writeback(),
    /// ->rw_page(..., true), which copies the page before it returns, end_page_writeback() (inside
    /// the driver's page_endio()) and unlock_page(). Returns true when it wrote the page.
    /// </summary>
    internal static RecipeDraft BdevWritePage() =>
        new RecipeBuilder(bdev_write_page, "fs/block_dev.c: bdev_write_page() (v4.14)")
            .IfNot(rw_page, "eopnotsupp")
            .Step(set_page_writeback)
            .Step(swap_dev_write)
            .Step(end_page_writeback)
            .Step(unlock_page)
            .Return()
            .Label("eopnotsupp")
            .ReturnFailure()
            .Build();
}
