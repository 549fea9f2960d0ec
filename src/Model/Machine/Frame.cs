namespace Fuzz.Model.Machine;

[Flags]
public enum FrameFlags : byte
{
    None = 0,
    /// <summary>On the free list; touching it is a use-after-free.</summary>
    Free = 1,
    /// <summary>PG_dirty.</summary>
    Dirty = 2,
    /// <summary>PG_swapcache: the frame is the swap cache page of <see cref="Frame.SwapSlot"/>.</summary>
    SwapCache = 4,
    /// <summary>PageKsm: a stable KSM page, shared read-only between registers.</summary>
    Ksm = 8,
    /// <summary>The shared zero page (my_zero_pfn): never freed, never written.</summary>
    Zero = 16,
    /// <summary>Off the LRU, held by reclaim or migration (isolate_lru_page); nobody else can isolate it.</summary>
    Isolated = 32,
    /// <summary>PG_writeback: a write of the page to its swap slot is in flight (set_page_writeback .. end_page_writeback).</summary>
    Writeback = 64,
    /// <summary>
    /// !PG_uptodate: the page's data is not there yet, a read from its swap slot is in flight
    /// (__read_swap_cache_async allocates it, end_swap_bio_read sets PG_uptodate). Kept inverted so
    /// that every other frame, allocated zeroed or copied, is uptodate as the kernel makes it.
    /// </summary>
    NotUptodate = 128,
}

/// <summary>
/// A physical frame (struct page plus its data). Refcount and mapcount are the kernel's
/// page_count() and page_mapcount(). <see cref="Generation"/> counts allocations, so that a
/// translation cached before a free is recognised after the frame is handed out again: reuse is
/// how a stale translation turns into a leak between processes, so it is modelled, not just "free".
/// </summary>
public struct Frame
{
    /// <summary>The page's data, reduced to one value.</summary>
    public int Content;
    public short RefCount;
    public short MapCount;
    public FrameFlags Flags;
    /// <summary>PG_locked holder: agent index + 1, or 0 when unlocked.</summary>
    public byte LockedBy;
    public short SwapSlot;
    public int Generation;
    /// <summary>Bumped by every store or DMA write into the frame (lost-write bookkeeping).</summary>
    public int WriteSeq;
    /// <summary>
    /// The <see cref="WriteSeq"/> at the instant the frame's data and its swap slot's were last the
    /// same (the swap device wrote the page out or read it in), -1 when never: a swap-cache page
    /// freed with a newer WriteSeq loses the writes in between.
    /// </summary>
    public int SwapSeq;
    /// <summary>Tick of the last write into the frame, and who made it (for readable reports).</summary>
    public int LastWriteTick;
    public short LastWriter;
    /// <summary>
    /// Set when the register this frame backed was moved to a copy (CoW, migration, KSM merge) and no
    /// mapping of the frame is left: any later write through a stale translation is lost.
    /// </summary>
    public bool Retired;

    public readonly bool IsFree => (Flags & FrameFlags.Free) != 0;
    public readonly bool IsZero => (Flags & FrameFlags.Zero) != 0;
    public readonly bool IsKsm => (Flags & FrameFlags.Ksm) != 0;
    public readonly bool InSwapCache => (Flags & FrameFlags.SwapCache) != 0;
    public readonly bool UnderWriteback => (Flags & FrameFlags.Writeback) != 0;
}
