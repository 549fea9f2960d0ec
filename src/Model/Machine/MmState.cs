namespace Fuzz.Model.Machine;

/// <summary>
/// Per-mm_struct state other than the page table: the PTL (one split lock: every modelled page
/// sits under one PMD), mmap_lock as a reader count and writer, the tlb_flush_pending counter that
/// mmu_gather users raise (inc_tlb_flush_pending), and reclaim's deferred-flush flag
/// (mm->tlb_flush_batched, set by set_tlb_ubc_flush_pending).
/// </summary>
public struct MmState
{
    /// <summary>The mm has been created (initially, or by fork's dup_mm).</summary>
    public bool Exists;
    /// <summary>Its tasks may run: true from the start, or after fork's wake_up_new_task.</summary>
    public bool Running;
    /// <summary>PTL holder: agent index + 1, or 0.</summary>
    public byte PtlOwner;
    public byte MmapReaders;
    /// <summary>mmap_lock writer: agent index + 1, or 0.</summary>
    public byte MmapWriter;
    public short TlbFlushPending;
    public bool TlbFlushBatched;
    /// <summary>Open mmu_notifier_invalidate_range_start() sections.</summary>
    public short NotifierRanges;
    /// <summary>A fork copying this mm is in progress (writes by its threads may land in shared frames).</summary>
    public bool ForkInProgress;
}
