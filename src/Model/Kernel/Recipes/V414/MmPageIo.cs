using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/page_io.c: writing a swap-cache page to its slot and reading it back.</summary>
internal static class MmPageIo
{
    /// <summary>
    /// mm/page_io.c: swap_writepage() -> __swap_writepage() (v4.14, page_io.c:245-262, 278-348), the
    /// page locked and its PG_dirty just cleared. "We may have stale swap cache pages in memory:
    /// notice them here and get rid of the unnecessary final write": if no swap PTE names the slot
    /// any more, try_to_free_swap() drops the page from the swap cache (and dirties it) and nothing
    /// is written. Otherwise a device with ->rw_page writes the page synchronously
    /// (bdev_write_page); any other gets a bio: PG_writeback, the page unlocked, submit_bio(); the
    /// swap device reads the page later and end_swap_bio_write() ends the writeback. Frontswap and
    /// swap files (SWP_FILE) are not modelled.
    /// </summary>
    internal static RecipeDraft SwapWritepage() =>
        new RecipeBuilder(swap_writepage, "mm/page_io.c: swap_writepage() / __swap_writepage() (v4.14)")
            .IfNot(try_to_free_swap, "write")
            .Step(unlock_page)
            .Return()
            .Label("write")
            .CallIf(bdev_write_page, "out")
            // Otherwise reclaim, finding the page unlocked and clean, frees it while the swap
            // device still reads it (shrink_page_list keeps a page under writeback).
            .Step(set_page_writeback)
            .Step(unlock_page)
            .Step(submit_bio, Page)
            .Label("out")
            .Build();

    /// <summary>
    /// mm/page_io.c: swap_readpage() (v4.14, page_io.c:350-420) of a new swap-cache page, locked and
    /// not uptodate: a device with ->rw_page reads it synchronously (bdev_read_page; brd's
    /// page_endio() sets PG_uptodate and unlocks it before it returns); any other gets a bio, and
    /// the page stays locked and !PageUptodate until end_swap_bio_read(). Frontswap, swap files and
    /// zram's swap_slot_free_notify are not modelled.
    /// </summary>
    internal static RecipeDraft SwapReadpage() =>
        new RecipeBuilder(swap_readpage, "mm/page_io.c: swap_readpage() (v4.14)")
            .IfNot(rw_page, "bio")
            .Step(swap_dev_read)
            .Step(SetPageUptodate)
            .Step(unlock_page)
            .Return()
            .Label("bio")
            .Step(submit_bio, Page)
            .Build();
}
