using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// Writing a page to swap (mm/vmscan.c pageout(), mm/page_io.c swap_writepage(), fs/block_dev.c
/// bdev_write_page()) and the swap device's side of it: PG_writeback, the bio, its completion.
/// </summary>
internal static partial class Steps
{
    [Step(StepCategory.Check, "PageWriteback(page): a write of the page to swap is in flight (shrink_page_list vmscan.c:1078, 1236, 1247; __unmap_and_move migrate.c:1007)", Predicate = true)]
    internal static bool PageWriteback(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        s.Trace.Last.Pfn = (short)pfn;
        return pfn >= 0 && s.M.Frames[pfn].UnderWriteback;
    }

    /// <summary>
    /// pageout(): "if (!is_page_cache_freeable(page)) return PAGE_KEEP;" (vmscan.c:533-543, 612):
    /// page_count == 2, reclaim's isolation reference and the swap cache's. A page anyone else
    /// holds (a GUP pin, a concurrent lookup_swap_cache) is not written at all.
    /// </summary>
    [Step(StepCategory.Check, "is_page_cache_freeable(page) (vmscan.c:533-543): page_count == 2 (isolation + swap cache), else pageout() keeps the page unwritten (vmscan.c:612)", Predicate = true)]
    internal static bool is_page_cache_freeable(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        if (pfn < 0) return false;
        s.Trace.Last.Pfn = (short)pfn;
        s.Trace.Last.Value = s.M.Frames[pfn].RefCount;
        return s.M.Frames[pfn].RefCount == 2;
    }

    /// <summary>
    /// clear_page_dirty_for_io() (vmscan.c:633): PG_dirty is cleared before the write starts, so that
    /// a later set_page_dirty() (a dirty PTE found by the next unmap) makes reclaim write it again.
    /// </summary>
    [Step(StepCategory.Page, "clear_page_dirty_for_io(page) (mm/page-writeback.c:2663; pageout, vmscan.c:633): PG_dirty is cleared before the write starts")]
    internal static bool clear_page_dirty_for_io(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        s.Trace.Last.Pfn = (short)pfn;
        bool dirty = (f.Flags & FrameFlags.Dirty) != 0;
        f.Flags &= ~FrameFlags.Dirty;
        return dirty;
    }

    [Step(StepCategory.Page, "set_page_writeback(page): PG_writeback until the write completes (__swap_writepage page_io.c:343, bdev_write_page block_dev.c:717)")]
    internal static bool set_page_writeback(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].Flags |= FrameFlags.Writeback;
        return true;
    }

    /// <summary>end_page_writeback() (mm/filemap.c:1116-1135): PG_writeback is cleared and its waiters woken.</summary>
    [Step(StepCategory.Page, "end_page_writeback(page) (filemap.c:1116-1135): the write is complete, PG_writeback cleared (end_swap_bio_write page_io.c:71; page_endio)")]
    internal static bool end_page_writeback(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0 || !s.M.Frames[pfn].UnderWriteback) return false;
        s.M.Frames[pfn].Flags &= ~FrameFlags.Writeback;
        return true;
    }

    /// <summary>
    /// bdev_write_page() / bdev_read_page(): "if (!ops->rw_page || bdev_get_integrity(bdev)) return
    /// -EOPNOTSUPP;" (fs/block_dev.c:668-727). brd, zram and pmem have ->rw_page (knob swap_device sync).
    /// </summary>
    [Step(StepCategory.Check, "ops->rw_page (bdev_write_page/bdev_read_page, block_dev.c:711, 674): the swap device does page I/O synchronously (brd, zram, pmem; knob swap_device sync)", Local = true, Predicate = true)]
    internal static bool rw_page(Simulator s, int ai, in Instr ins) => s.Kernel.Knobs.SwapDevice == SwapDevice.Sync;

    /// <summary>
    /// submit_bio() of a swap page (mm/page_io.c:334-345 for a write, 389-405 for a read): the bio
    /// for the page's slot (get_swap_bio maps its swap entry to a sector) joins the swap device's
    /// queue. A read leaves the page locked until end_swap_bio_read(): from here the lock is the
    /// I/O's. Without the operand, O_DIRECT's read (<c>Steps.Gup.cs</c>).
    /// </summary>
    private static bool SubmitSwapBio(Simulator s, int ai)
    {
        ref AgentState a = ref s.Agents[ai];
        int pfn = a.Ctx.OldPfn;
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        if (!f.InSwapCache || f.SwapSlot < 0) return false;
        bool write = a.CurrentRecipe != RecipeId.swap_readpage;
        if (s.DiskAgent < 0) throw new InvalidOperationException("a swap bio in a scenario without the swap device");
        if (!s.M.SubmitSwapIo(pfn, f.SwapSlot, write)) throw new ModelLimitException($"swap device queue full at tick {s.Tick}");
        if (!write) f.LockedBy = (byte)(s.DiskAgent + 1);
        s.Trace.Last.Value = f.SwapSlot;
        s.Trace.Last.Detail = write ? 1 : 0;
        s.PrepareDiskRequest();
        return true;
    }

    /// <summary>
    /// The swap device performs a REQ_OP_WRITE: its DMA reads the page, and the slot holds the
    /// page's data as of this instant (one instant: a store racing the transfer lands either
    /// before it, in the slot, or after it, in the page only). The disk agent does it for a bio;
    /// for ->rw_page (brd_rw_page's copy) the caller does it inside bdev_write_page().
    /// </summary>
    [Step(StepCategory.Hardware, "the swap device performs the write (the bio of page_io.c:334-345, or ->rw_page in bdev_write_page, block_dev.c:718): its DMA reads the page into the slot, data as of this instant")]
    internal static bool swap_dev_write(Simulator s, int ai, in Instr ins) => SwapTransfer(s, ai, write: true);

    /// <summary>The swap device performs a REQ_OP_READ: its DMA writes the slot's data into the page.</summary>
    [Step(StepCategory.Hardware, "the swap device performs the read (the bio of page_io.c:389-405, or ->rw_page in bdev_read_page, block_dev.c:680): its DMA writes the slot's data into the page")]
    internal static bool swap_dev_read(Simulator s, int ai, in Instr ins) => SwapTransfer(s, ai, write: false);

    private static bool SwapTransfer(Simulator s, int ai, bool write)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int pfn = c.OldPfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        // A bio was built for a slot and a frame at submission; ->rw_page works on the page now.
        bool bio = ai == s.DiskAgent;
        int slot = bio ? c.Bio.Slot : f.SwapSlot;
        int generation = bio ? c.Bio.Generation : f.Generation;
        s.Trace.Last.Pfn = (short)pfn;
        s.Trace.Last.Detail = slot;
        if (slot < 0) return false;
        AccessOracle.SwapIo(s, ai, pfn, generation, write);
        if (write) s.M.SwapContent[slot] = f.Content;
        else f.Content = s.M.SwapContent[slot];
        if (f.SwapSlot == slot) f.SwapSeq = f.WriteSeq;
        s.Trace.Last.Value = f.Content;
        return true;
    }
}
