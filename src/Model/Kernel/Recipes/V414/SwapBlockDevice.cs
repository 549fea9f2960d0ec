using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>
/// The swap block device (hardware) performing a swap bio, then the bio's completion, which runs
/// the end_io callback of mm/page_io.c. It runs on the disk agent, one bio at a time in submission
/// order, at any point after submit_bio().
/// </summary>
internal static class SwapBlockDevice
{
    /// <summary>
    /// A REQ_OP_WRITE swap bio (page_io.c:337-345): the device's DMA reads the page into the slot
    /// at some instant, then end_swap_bio_write() (v4.14, page_io.c:51-73) calls end_page_writeback().
    /// Write errors are not modelled.
    /// </summary>
    internal static RecipeDraft SwapBioWrite() =>
        new RecipeBuilder(swap_bio_write, "swap device: a swap write bio; mm/page_io.c: end_swap_bio_write() (v4.14)")
            .Step(swap_dev_write)
            .Step(end_page_writeback)
            .Build();

    /// <summary>
    /// A REQ_OP_READ swap bio (page_io.c:400-411): the device's DMA writes the slot's data into the
    /// page, then end_swap_bio_read() (v4.14, page_io.c:122-144) sets PG_uptodate and unlocks the
    /// page, waking the faults that wait on it. Read errors are not modelled.
    /// </summary>
    internal static RecipeDraft SwapBioRead() =>
        new RecipeBuilder(swap_bio_read, "swap device: a swap read bio; mm/page_io.c: end_swap_bio_read() (v4.14)")
            .Step(swap_dev_read)
            // Otherwise a fault waiting on the page lock maps the page before its data is there.
            .Step(SetPageUptodate)
            .Step(unlock_page)
            .Build();
}
