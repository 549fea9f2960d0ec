using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Search.Verification;

/// <summary>How an agent's step relates to the optional hardware actions (TLB fills and evictions; the device's speculative ATS requests and ATC evictions; the IOMMU's IOTLB evictions).</summary>
public enum HardwareFootprint : byte
{
    /// <summary>Touches nothing optional hardware reads or writes: no live PTE, no cache, no ATS request slot, no IOMMU command, no frame allocation or free.</summary>
    None,
    /// <summary>Reads or writes a live PTE (or a frame's generation): ordered against fills and speculative ATS requests, which read the PTE; not against evictions, which touch one cache entry only.</summary>
    Pte,
    /// <summary>Reads or writes cached translations or ATS requests, frees frames (the free-time check looks at every cache), changes which mm runs: ordered against all hardware.</summary>
    All,
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
/// dependent on every other action but CPU TLB actions and agent steps of footprint None (ActionSpace.Independent).
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
        // Locks, counters, the PRI queue, the agent's own locals, frame counts and flags, page data.
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
            StepId.migrate_page_move_mapping, StepId.migrate_page_copy, StepId.wait_on_page_locked, StepId.set_tlb_ubc_flush_pending);
        // Reads or writes the live PTE, or allocates (a new generation of a frame).
        Set(HardwareFootprint.Pte,
            StepId.read_orig_pte, StepId.pte_none, StepId.pte_present, StepId.pte_write, StepId.pte_same,
            StepId.vm_normal_page, StepId.is_zero_pfn, StepId.pte_mkold,
            StepId.alloc_zeroed_user_highpage_movable, StepId.alloc_page_vma,
            StepId.set_pte_at, StepId.ptep_set_access_flags, StepId.ptep_get_and_clear, StepId.ptep_get_and_clear_full,
            StepId.ptep_set_wrprotect, StepId.orig_pte_snapshot, StepId.check_pte, StepId.is_migration_entry,
            StepId.is_write_migration_entry, StepId.pte_dirty, StepId.follow_page, StepId.isolate_lru_page,
            StepId.swap_duplicate, StepId.get_page_unless_zero, StepId.get_user_pages_fast,
            StepId.submit_bio, StepId.pte_clear_not_present_full, StepId.make_migration_entry_read);
        // The same checks of vmf->orig_pte (or of the cleared value) read only the agent's copy.
        foreach (StepId id in new[] { StepId.pte_none, StepId.pte_present, StepId.pte_write, StepId.vm_normal_page, StepId.is_zero_pfn, StepId.is_migration_entry, StepId.pte_dirty })
            OfOrig[(int)id] = HardwareFootprint.None;
        // Left at All: the MMU and DMA accesses and ATS, every flush and secondary invalidation, put_page
        // and the frees (free-time checks read every cache), fork's dup_mm/wake_up_new_task (which mm runs).
    }

    private static void Set(HardwareFootprint f, params StepId[] ids)
    {
        foreach (StepId id in ids)
        {
            Live[(int)id] = f;
            OfOrig[(int)id] = f;
        }
    }

    /// <summary>Whether an agent step of footprint <paramref name="step"/> and the optional hardware action <paramref name="hardware"/> commute (neither enables, disables or changes the other).</summary>
    public static bool Commutes(HardwareFootprint step, SchedAction hardware) => step switch
    {
        HardwareFootprint.None => true,
        HardwareFootprint.Pte => hardware.Kind is ActionKind.Evict or ActionKind.IotlbEvict,
        _ => false,
    };

    public static HardwareFootprint Of(StepId step, Operand operand) =>
        operand is Operand.Orig or Operand.PteVal ? OfOrig[(int)step] : Live[(int)step];

    /// <summary>
    /// The footprint of the transition an agent just took, from what it recorded in the trace: every
    /// step it ran (shared and zero-time), and its operation's return (where MADV_DONTNEED and fork
    /// check every cache for stale entries).
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
                _ => HardwareFootprint.All,
            };
            if (g > f) f = g;
        }
        return f;
    }
}
