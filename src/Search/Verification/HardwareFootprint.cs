using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Search.Verification;

/// <summary>
/// How an agent's step relates to the optional hardware actions, on each of the two sides of the
/// machine: the CPUs' TLBs (fills and evictions), and the device side (the device's speculative ATS
/// requests and ATC evictions, the IOMMU's IOTLB evictions, and the IOMMU's and the device's
/// progress: walks, commands, completions). Per side a level: nothing; the live PTE (ordered
/// against fills, speculative requests and walks, which read it or set its accessed bit, not
/// against evictions, which touch one cache entry only); or everything (the caches of that side).
/// </summary>
[Flags]
public enum HardwareFootprint : byte
{
    /// <summary>Touches nothing optional hardware reads or writes: no live PTE, no cache, no ATS request slot, no IOMMU command, no frame allocation or free.</summary>
    None = 0,
    /// <summary>Reads or writes a live PTE (or a frame's generation), as a CPU TLB fill does.</summary>
    CpuPte = 1,
    /// <summary>Reads or writes CPU TLB entries (an MMU access, a shootdown), frees frames, changes which mm runs.</summary>
    CpuAll = 2,
    /// <summary>Reads or writes a live PTE (or a frame's generation), as a speculative ATS request or an IOMMU walk does.</summary>
    DevPte = 4,
    /// <summary>Reads or writes the IOTLB, the ATC, ATS request slots or the IOMMU's queue, or frees frames.</summary>
    DevAll = 8,
    /// <summary>The live PTE, for both sides.</summary>
    Pte = CpuPte | DevPte,
    /// <summary>Ordered against all hardware.</summary>
    All = CpuAll | DevAll,
}

/// <summary>
/// The footprints of the steps against the hardware actions, declared per step (and operand) from
/// the step implementations in src/Model/Kernel/Steps, and checked by a test that executes both
/// orders of every pair the search treats as independent (tests/Search/Verification). A step not
/// listed is <see cref="HardwareFootprint.All"/>: when unsure, dependent.
/// <para>
/// The hardware actions themselves (Simulator.Hardware.cs, Simulator.Iommu.cs): a fill of CPU c's
/// entry for (mm, page) reads that PTE's kind, frame, permissions and dirty bit, its version, the
/// frame's generation and whether the mm runs, and writes the entry and the PTE's accessed bit;
/// a CPU eviction reads and writes its entry only. On the device side, a speculative ATS request
/// for a page reads the page's IOTLB and ATC entries, its PTE (not the accessed bit) and the
/// frame's generation, and writes the page's request slot; an ATC or IOTLB eviction writes its
/// entry, which the request compares: the three are one group per page. So two optional hardware
/// actions of different groups commute (two fills of one PTE both set its accessed bit). The
/// IOMMU's walks and commands and the device's speculative completions make progress and are
/// dependent on every other action but CPU TLB actions (a walk that sets a PTE's dirty bit is
/// dependent on CPU fills of the page, which copy it) and agent steps that leave the device side
/// alone (ActionSpace.Independent).
/// </para>
/// <para>
/// The two sides are the reason for two levels: the device side never reads a CPU TLB and the CPU
/// side never reads the IOTLB, the ATC or the ATS slots, so a DMA access, an ATS step or an IOMMU
/// command is independent of every CPU TLB action, and a CPU TLB shootdown of every device-side
/// action (Explorer: the hardware of a side no enabled step touches is not taken at all).
/// </para>
/// </summary>
public static class HardwareFootprints
{
    private static readonly HardwareFootprint[] Live = new HardwareFootprint[StepCatalog.Count];
    private static readonly HardwareFootprint[] OfOrig = new HardwareFootprint[StepCatalog.Count];

    static HardwareFootprints()
    {
        Array.Fill(Live, HardwareFootprint.All);
        Array.Fill(OfOrig, HardwareFootprint.All);
        // Locks, counters, the PRI queue, the agent's own locals and fault flags, frame counts and
        // flags, page data, the swap device's transfers, mm->tlb_flush_batched, the SVA binding's
        // pending notifier call (the driver's steps below do the invalidation).
        Set(HardwareFootprint.None,
            StepId.pri_page_request, StepId.pri_wait_response, StepId.finish_pri_tag,
            StepId.down_read_mmap_sem, StepId.up_read_mmap_sem, StepId.down_write_mmap_sem, StepId.up_write_mmap_sem,
            StepId.pte_offset_map_lock, StepId.pte_alloc_map_lock, StepId.spin_lock, StepId.spin_lock_nested,
            StepId.spin_unlock, StepId.pte_unmap_unlock, StepId.lock_page, StepId.trylock_page, StepId.unlock_page,
            StepId.write_fault, StepId.PageKsm, StepId.reuse_swap_page, StepId.page_count,
            StepId.mk_pte, StepId.my_zero_pfn, StepId.maybe_mkwrite, StepId.pte_mkyoung, StepId.pte_mkdirty,
            StepId.cow_user_page, StepId.get_page, StepId.page_add_new_anon_rmap, StepId.page_dup_rmap, StepId.page_remove_rmap,
            StepId.tlb_gather_mmu, StepId.tlb_remove_tlb_entry, StepId.__tlb_remove_page, StepId.mm_tlb_flush_nested,
            StepId.dec_tlb_flush_pending, StepId.mmu_notifier_invalidate_range_start,
            StepId.pte_mkclean, StepId.swp_entry_to_pte, StepId.make_migration_entry, StepId.tree_page, StepId.migrate_target,
            StepId.mm_tlb_flush_pending, StepId.page_pinned, StepId.page_maybe_dma_pinned, StepId.kpage, StepId.pages_identical,
            StepId.page_mapped, StepId.PageSwapCache, StepId.PageDirty, StepId.should_defer_flush, StepId.TTU_MIGRATION,
            StepId.page_add_anon_rmap, StepId.set_page_stable_node, StepId.set_page_dirty, StepId.add_to_swap,
            StepId.swap_free, StepId.try_to_free_swap, StepId.lookup_swap_cache, StepId.__remove_mapping,
            StepId.migrate_page_move_mapping, StepId.migrate_page_copy, StepId.wait_on_page_locked, StepId.set_tlb_ubc_flush_pending,
            StepId.tlb_flush_batched, StepId.clear_tlb_flush_batched, StepId.tlb_end, StepId.__tlb_reset_range, StepId.addr_not_end,
            StepId.single_page_range, StepId.calculate_psi_aligned_address,
            StepId.clear_fault_flag_write, StepId.fault_flag_write, StepId.fault_flags, StepId.FAULT_FLAG_ALLOW_RETRY, StepId.fault_flag_tried,
            StepId.rmap_item, StepId.young, StepId.referenced_ptes, StepId.TTU_IGNORE_ACCESS, StepId.page_vma_mapped_walk_done,
            StepId.SetPageDirty, StepId.PageWriteback, StepId.PageUptodate, StepId.SetPageUptodate, StepId.is_page_cache_freeable,
            StepId.clear_page_dirty_for_io, StepId.set_page_writeback, StepId.end_page_writeback, StepId.rw_page,
            StepId.swap_dev_write, StepId.swap_dev_read, StepId.page_was_allocated);
        // Reads or writes the live PTE, or allocates (a new generation of a frame).
        Set(HardwareFootprint.Pte,
            StepId.read_orig_pte, StepId.pte_none, StepId.pte_present, StepId.pte_write, StepId.pte_same,
            StepId.vm_normal_page, StepId.is_zero_pfn, StepId.pte_mkold,
            StepId.alloc_zeroed_user_highpage_movable, StepId.alloc_page_vma, StepId.__read_swap_cache_async,
            StepId.set_pte_at, StepId.ptep_set_access_flags, StepId.ptep_get_and_clear, StepId.ptep_get_and_clear_full,
            StepId.ptep_set_wrprotect, StepId.orig_pte_snapshot, StepId.check_pte, StepId.is_migration_entry,
            StepId.is_write_migration_entry, StepId.pte_dirty, StepId.follow_page, StepId.isolate_lru_page,
            StepId.swap_duplicate, StepId.get_page_unless_zero, StepId.get_user_pages_fast,
            StepId.submit_bio, StepId.pte_clear_not_present_full, StepId.make_migration_entry_read, StepId.ptep_clear_flush_young);
        // The same checks of vmf->orig_pte (or of the cleared value) read only the agent's copy.
        foreach (StepId id in new[] { StepId.pte_none, StepId.pte_present, StepId.pte_write, StepId.vm_normal_page, StepId.is_zero_pfn, StepId.is_migration_entry, StepId.pte_dirty })
            OfOrig[(int)id] = HardwareFootprint.None;
        // The CPU MMU: its own TLB entry, and the PTE its walk reads and sets A (and D) in.
        Set(HardwareFootprint.CpuAll | HardwareFootprint.DevPte, StepId.mmu_access);
        // CPU TLB shootdowns: every CPU's entries, nothing of the device's.
        Set(HardwareFootprint.CpuAll,
            StepId.flush_tlb_page, StepId.flush_tlb_mm, StepId.flush_tlb_range, StepId.tlb_flush,
            StepId.try_to_unmap_flush, StepId.try_to_unmap_flush_dirty);
        // The device's DMA through its ATC and its ATS requests and completions; the secondary MMU's
        // invalidations (notifier calls and the driver's IOTLB and ATC invalidations and waits).
        Set(HardwareFootprint.DevAll,
            StepId.dma_access, StepId.ats_translation_request, StepId.ats_translation_completion,
            StepId.mmu_notifier_invalidate_range, StepId.mmu_notifier_invalidate_range_end, StepId.mmu_notifier_change_pte,
            StepId.mmu_notifier_clear_flush_young, StepId.amd_iommu_flush_page, StepId.amd_iommu_flush_tlb,
            StepId.build_inv_iommu_pasid, StepId.build_inv_iotlb_pasid, StepId.domain_flush_complete,
            StepId.QI_EIOTLB, StepId.QI_DEIOTLB, StepId.qi_submit_sync);
        // Left at All: put_page and the frees (free-time checks read every cache), fork's
        // dup_mm/wake_up_new_task (which mm runs), putback_lru_page (a put_page).
    }

    private static void Set(HardwareFootprint f, params StepId[] ids)
    {
        foreach (StepId id in ids)
        {
            Live[(int)id] = f;
            OfOrig[(int)id] = f;
        }
    }

    /// <summary>The footprint of two steps taken together: per side the larger level.</summary>
    public static HardwareFootprint Union(HardwareFootprint a, HardwareFootprint b)
    {
        int cpu = Math.Max((int)a & 3, (int)b & 3), dev = Math.Max((int)a >> 2 & 3, (int)b >> 2 & 3);
        return (HardwareFootprint)(cpu | dev << 2);
    }

    /// <summary>Whether the footprint touches anything the CPU TLBs' fills and evictions read or write.</summary>
    public static bool TouchesCpu(HardwareFootprint f) => ((int)f & 3) != 0;

    /// <summary>Whether the footprint touches anything the device side's optional actions and progress read or write.</summary>
    public static bool TouchesDevice(HardwareFootprint f) => ((int)f & 12) != 0;

    /// <summary>
    /// Whether an agent step of footprint <paramref name="step"/> and the hardware action
    /// <paramref name="hardware"/> commute (neither enables, disables or changes the other).
    /// <paramref name="cpuTlb"/>: the action is a CPU TLB fill or eviction (else device side).
    /// </summary>
    public static bool Commutes(HardwareFootprint step, SchedAction hardware, bool cpuTlb)
    {
        int level = cpuTlb ? (int)step & 3 : (int)step >> 2 & 3;
        return level == 0 || level == 1 && hardware.Kind is ActionKind.Evict or ActionKind.IotlbEvict;
    }

    public static HardwareFootprint Of(StepId step, Operand operand) =>
        operand is Operand.Orig or Operand.PteVal ? OfOrig[(int)step] : Live[(int)step];

    /// <summary>
    /// The footprint of the transition an agent (or the IOMMU, or the device's completion) just took,
    /// from what it recorded in the trace: every step it ran (shared and zero-time), and its
    /// operation's return (where MADV_DONTNEED and fork check every cache for stale entries). An
    /// IOMMU walk is the device side's, and the CPU side's PTE when it asked for write (it may set
    /// the dirty bit a CPU fill copies).
    /// </summary>
    public static HardwareFootprint OfTransition(Simulator s)
    {
        if (s.Trace.Truncated) return HardwareFootprint.All;
        HardwareFootprint f = HardwareFootprint.None;
        foreach (ref readonly TraceEvent e in s.Trace.Events)
        {
            HardwareFootprint g = e.Kind switch
            {
                TraceKind.Step => Of(e.Step, e.Operand),
                TraceKind.OpEnd => e.Op >= 0 && s.Ops[e.Op].Kind is OpKind.MadviseDontneed or OpKind.Fork ? HardwareFootprint.All : HardwareFootprint.None,
                TraceKind.OpBegin => HardwareFootprint.None,
                TraceKind.IommuWalk => e.Va >= 0 && s.M.Ats[e.Va].Write ? HardwareFootprint.DevAll | HardwareFootprint.CpuPte : HardwareFootprint.DevAll,
                TraceKind.AtsCompletion or TraceKind.IommuCommand => HardwareFootprint.DevAll,
                _ => HardwareFootprint.All,
            };
            f = Union(f, g);
        }
        return f;
    }
}
