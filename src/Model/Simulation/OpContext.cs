using Fuzz.Model.Machine;

namespace Fuzz.Model.Simulation;

/// <summary>
/// The local variables of the running operation, shared by its recipe frames as the kernel passes
/// struct vm_fault and struct mmu_gather down its call chain.
/// </summary>
public struct OpContext
{
    /// <summary>The mm the operation works on, and for fork the child (dst_mm).</summary>
    public int Mm;
    public int ChildMm;
    /// <summary>The current address: the faulting page, or the page a loop is at.</summary>
    public int Va;
    /// <summary>The operation's range, first and last page inclusive.</summary>
    public int RangeFirst;
    public int RangeLast;
    /// <summary>
    /// The part of the range the current PTE page maps (zap_pmd_range / copy_pmd_range hand one PTE
    /// page at a time to zap_pte_range / copy_pte_range); the per-page loops walk it.
    /// </summary>
    public int SliceFirst;
    public int SliceLast;
    /// <summary>For accesses: is this a store / DMA write (and the fault it takes a write fault).</summary>
    public bool Write;
    /// <summary>vmf->flags &amp; FAULT_FLAG_WRITE of the fault being handled: the access's Write when the
    /// fault starts; do_swap_page() clears it once it has made the page writable.</summary>
    public bool FaultWrite;
    /// <summary>What a store writes, or what a load returned.</summary>
    public int Value;

    /// <summary>vmf->orig_pte.</summary>
    public Pte OrigPte;
    /// <summary>The entry about to be installed (mk_pte, my_zero_pfn, maybe_mkwrite, ...).</summary>
    public Pte NewEntry;
    /// <summary>vmf->page / the page of the PTE at hand: -1 for none or the zero page.</summary>
    public int OldPfn;
    /// <summary>new_page in wp_page_copy, or -1.</summary>
    public int NewPfn;
    /// <summary>cow_user_page's snapshot: the source frame's write sequence when copied.</summary>
    public int CopySeq;

    /// <summary>The operation's second page (ksm_merge: the unstable-tree page), and frames by role.</summary>
    public int Mm2;
    public int Va2;
    public int TreePfn;
    public int KPfn;
    public int TargetPfn;
    /// <summary>migrate_page_move_mapping() succeeded: the migration's rc is MIGRATEPAGE_SUCCESS.</summary>
    public bool Moved;
    /// <summary>break_ksm()'s page (follow_page's result while it is write-faulted), or -1.</summary>
    public int BreakPfn;
    /// <summary>get_user_pages_fast's pin: frame and the generation it had.</summary>
    public int PinPfn;
    public int PinGen;
    /// <summary>The value the last clear returned (pteval / entry).</summary>
    public Pte PteVal;
    /// <summary>The slot __remove_mapping() took the page out of, for the lost-write check at the free, or -1.</summary>
    public int WritebackSlot;
    /// <summary>The copy's destination while a copy is outstanding (cow_user_page, pages_identical, migrate_page_copy).</summary>
    public int CopyDst;

    /// <summary>flush_tlb_batched_pending()'s snapshot of mm->tlb_flush_batched (the counter's cmpxchg compares it).</summary>
    public int BatchSnapshot;
    /// <summary>ptep_clear_flush_young_notify()'s __young for the mapping at hand: its accessed bit was set, or a secondary MMU said so.</summary>
    public bool Young;
    /// <summary>page_referenced(): some mapping was young (pra.referenced &gt; 0).</summary>
    public bool Referenced;
    /// <summary>__read_swap_cache_async()'s new_page_allocated: the page is new, its read must be started.</summary>
    public bool PageWasAllocated;
    /// <summary>flags &amp; FAULT_FLAG_ALLOW_RETRY of the user fault running (x86 __do_page_fault sets it; the retry clears it).</summary>
    public bool AllowRetry;
    /// <summary>The swap device's bio being performed (the disk agent only).</summary>
    public SwapIo Bio;

    /// <summary>Reclaim's deferred flush (struct tlbflush_unmap_batch): owed, for writable entries, for which mms.</summary>
    public bool UbcPending;
    public bool UbcWritable;
    public byte UbcMms;

    /// <summary>mmu_gather: recorded flush range (tlb->start..tlb->end), empty when First > Last.</summary>
    public int GatherFirst;
    public int GatherLast;
    public GatherPages GatherPages;
    public int GatherCount;
    public bool InGather;

    /// <summary>
    /// The arguments a notifier step passes to the SVA driver's callback (start and end, as pages,
    /// last inclusive); the driver's recipes read and narrow or widen them (amd_iommu_flush_tlb: the
    /// whole PASID), leaving the operation's own range alone.
    /// </summary>
    public int NotifyFirst;
    public int NotifyLast;

    /// <summary>mmap_sem read holds, one bit per mm (so that an unmatched up_read does nothing).</summary>
    public byte MmapReadHeld;

    /// <summary>cow_user_page's source frame, until the copy is installed or dropped (-1 when none).</summary>
    public int CopySrc;
    /// <summary>The frame the last ptep_get_and_clear took out of the PTE (-1 when none).</summary>
    public int ClearedPfn;

    /// <summary>Per page of the range: the newest PTE version this operation saw (at its call, or when it examined the page).</summary>
    public PageVersions Seen;

    /// <summary>How many times this operation has faulted and retried.</summary>
    public int Faults;

    public readonly bool GatherHasRange => GatherFirst <= GatherLast;

    /// <summary>
    /// A new fault starts with a fresh struct vm_fault (__handle_mm_fault builds one per fault):
    /// nothing from an earlier, retried fault of the same access carries over.
    /// </summary>
    /// <summary>
    /// The locals as an operation starts (StartFrame): no frame named yet (-1), an empty gather
    /// range, everything else zero. The search's state key writes a group of locals in one byte
    /// when it still holds these values.
    /// </summary>
    public static OpContext Fresh
    {
        get
        {
            OpContext c = default;
            c.OldPfn = c.NewPfn = c.CopySrc = c.CopyDst = c.ClearedPfn = -1;
            c.TreePfn = c.KPfn = c.TargetPfn = c.PinPfn = c.BreakPfn = -1;
            c.WritebackSlot = -1;
            c.ResetGatherRange();
            return c;
        }
    }

    public void ResetFault()
    {
        FaultWrite = Write;
        CopyDst = -1;
        OrigPte = default;
        NewEntry = default;
        OldPfn = -1;
        NewPfn = -1;
        CopySrc = -1;
        CopySeq = 0;
        ClearedPfn = -1;
        PageWasAllocated = false;
    }

    public void ResetGatherRange()
    {
        GatherFirst = int.MaxValue;
        GatherLast = int.MinValue;
    }
}
