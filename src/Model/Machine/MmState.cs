namespace Fuzz.Model.Machine;

/// <summary>
/// Per-mm_struct state other than the page table: mmap_lock as a reader count and writer, the
/// tlb_flush_pending counter that mmu_gather users raise (inc_tlb_flush_pending), and reclaim's
/// deferred-flush record (mm->tlb_flush_batched, set by set_tlb_ubc_flush_pending). The split
/// page-table locks live with the PTE pages (<see cref="MachineState.PtlOwner"/>).
/// </summary>
public struct MmState
{
    /// <summary>The mm has been created (initially, or by fork's dup_mm).</summary>
    public bool Exists;
    /// <summary>Its tasks may run: true from the start, or after fork's wake_up_new_task.</summary>
    public bool Running;
    public byte MmapReaders;
    /// <summary>mmap_lock writer: agent index + 1, or 0.</summary>
    public byte MmapWriter;
    public short TlbFlushPending;
    /// <summary>
    /// mm->tlb_flush_batched. In v4.14 a bool (0 or 1); with the knob tlb_flush_batched counter
    /// (5ee2fa2f0636, v5.17) an atomic_t: pending generations in the low 16 bits, flushed ones above.
    /// </summary>
    public int TlbFlushBatched;
    /// <summary>Open mmu_notifier_invalidate_range_start() sections.</summary>
    public short NotifierRanges;
    /// <summary>A fork copying this mm is in progress (writes by its threads may land in shared frames).</summary>
    public bool ForkInProgress;
}
