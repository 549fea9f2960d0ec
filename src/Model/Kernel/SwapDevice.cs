namespace Fuzz.Model.Kernel;

/// <summary>
/// How the v4.14 swap device completes a page's I/O (knob swap_device). __swap_writepage() first
/// tries bdev_write_page(), which only devices with ->rw_page implement (fs/block_dev.c:705-727);
/// everything else gets a bio that completes later (mm/page_io.c:278-348).
/// </summary>
public enum SwapDevice : byte
{
    /// <summary>A block device without ->rw_page: set_page_writeback, unlock_page, submit_bio; the write completes later (end_swap_bio_write).</summary>
    Async,
    /// <summary>brd, zram, pmem: ->rw_page copies the page inside bdev_write_page()/bdev_read_page(), which end the I/O before they return.</summary>
    Sync,
}
