using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Reporting.Text;

/// <summary>Renders one trace event in kernel vocabulary: "ptep_get_and_clear A (pfn 3)", "ats walk A -> pfn 3 ro (iotlb fill)".</summary>
public static class CellText
{
    public static string Of(Simulator s, in TraceEvent e)
    {
        string page = e.Va >= 0 ? Names.Page(e.Va) : "";
        switch (e.Kind)
        {
            case TraceKind.Fill:
                return $"tlb fill {page} -> pfn {e.Pfn} {Rw(e.Detail)}";
            case TraceKind.Evict:
                return e.Agent == s.DeviceAgent ? $"atc evict {page}" : $"tlb evict {page}";
            case TraceKind.AtsRequest:
                return $"ats translation request {page} (speculative)";
            case TraceKind.AtsCompletion:
                return "speculative " + Completion(page, e);
            case TraceKind.IommuWalk:
                if (!e.Result) return $"ats walk {page}: no translation";
                return e.Value == 1
                    ? $"ats: iotlb hit {page} -> pfn {e.Pfn} {Rw(e.Detail)}"
                    : $"ats walk {page} -> pfn {e.Pfn} {Rw(e.Detail)} (iotlb fill)";
            case TraceKind.IommuCommand:
                return IommuCommand(s, e);
            case TraceKind.IotlbEvict:
                return $"iotlb evict {page}";
            case TraceKind.OpBegin:
                if (e.Op >= 0) return s.Ops[e.Op].ToString();
                if (e.Agent == s.DiskAgent)
                    return e.Result ? $"swap bio: write pfn {e.Pfn} to slot {e.Value}" : $"swap bio: read slot {e.Value} into pfn {e.Pfn}";
                return $"page request {page}{(e.Result ? " (write)" : "")}";
            case TraceKind.OpEnd:
                if (e.Op < 0) return "done";
                Operation op = s.Ops[e.Op];
                return op.Kind is OpKind.Load or OpKind.DmaRead ? $"returns {e.Value}" : "returns";
        }
        string name = StepCatalog.Name(e.Step) + Operand(e);
        string pfn = e.Pfn >= 0 ? $"pfn {e.Pfn}" : "no page";
        string range = e.Detail > e.Va && e.Va >= 0 ? $"{page}-{Names.Page(e.Detail)}" : page;
        string mm = e.Mm >= 0 ? Names.Mm(e.Mm) : "";
        switch (e.Step)
        {
            case StepId.mmu_access:
            {
                bool write = e.Recipe == RecipeId.cpu_access && IsWrite(s, e);
                if (!e.Result) return $"{(write ? "store" : "load")} {page}: #PF";
                string via = e.Detail == 1 ? "tlb" : "walk";
                return write ? $"store {page} = {e.Value} ({via} pfn {e.Pfn})" : $"load {page} = {e.Value} ({via} pfn {e.Pfn})";
            }
            case StepId.dma_access:
            {
                bool write = IsWrite(s, e);
                if (!e.Result) return $"{(write ? "dma_write" : "dma_read")} {page}: atc miss";
                return write ? $"dma_write {page} = {e.Value} (atc pfn {e.Pfn})" : $"dma_read {page} = {e.Value} (atc pfn {e.Pfn})";
            }
            case StepId.ats_translation_request:
                return $"ats translation request {page}{(e.Detail == 1 ? " (write)" : "")}";
            case StepId.ats_translation_completion:
                return Completion(page, e);
            case StepId.calculate_psi_aligned_address:
            case StepId.build_inv_iommu_pasid:
            case StepId.build_inv_iotlb_pasid:
            case StepId.QI_EIOTLB:
            case StepId.QI_DEIOTLB:
                return $"{name} {range}";
            case StepId.single_page_range:
                return $"{name} {range}: {YesNo(e.Result)}";
            case StepId.amd_iommu_flush_page:
                return $"{name} {page}";
            case StepId.amd_iommu_flush_tlb:
                return $"{name} (whole PASID)";
            case StepId.pri_page_request:
                return $"pri page request {page}";
            case StepId.read_orig_pte:
                return $"orig_pte = *pte {page} ({(e.Pfn >= 0 ? pfn : ((Fuzz.Model.Machine.PteKind)e.Detail).ToString().ToLowerInvariant())})";
            case StepId.pte_offset_map_lock:
            case StepId.pte_alloc_map_lock:
            case StepId.spin_lock:
            case StepId.spin_lock_nested:
            case StepId.pte_unmap_unlock:
            case StepId.spin_unlock:
                // With two PTE pages, say whose split lock: the one of the page being handled.
                return s.M.Tables > 1 && e.Va >= 0 ? $"{name} {mm} (ptl of {page}'s pte page)" : $"{name} {mm}";
            case StepId.down_read_mmap_sem:
            case StepId.up_read_mmap_sem:
            case StepId.down_write_mmap_sem:
            case StepId.up_write_mmap_sem:
            case StepId.tlb_gather_mmu:
            case StepId.dec_tlb_flush_pending:
            case StepId.dup_mm:
            case StepId.wake_up_new_task:
                return e.Step is StepId.tlb_gather_mmu or StepId.dec_tlb_flush_pending
                    ? $"{name} {mm} (pending {e.Value})"
                    : $"{name} {mm}";
            case StepId.page_vma_mapped_walk_done:
                return $"{name} {mm}";
            case StepId.lock_page:
            case StepId.trylock_page:
            case StepId.unlock_page:
            case StepId.wait_on_page_locked:
            case StepId.PageWriteback:
            case StepId.PageUptodate:
            case StepId.set_page_writeback:
            case StepId.end_page_writeback:
            case StepId.SetPageUptodate:
                return e.IsCheck ? $"{name} {pfn}: {YesNo(e.Result)}" : $"{name} {pfn}";
            case StepId.alloc_page_vma:
            case StepId.alloc_zeroed_user_highpage_movable:
                return $"{name} -> pfn {e.Pfn}";
            case StepId.cow_user_page:
                return $"{name} pfn {e.Pfn} -> pfn {e.Value}";
            case StepId.get_page:
            case StepId.page_dup_rmap:
                return e.Result ? $"{name} {pfn}" : $"{name} (no page)";
            case StepId.put_page:
                if (!e.Result) return $"{name} (no page)";
                return e.Detail == 1 ? $"{name} {pfn} (freed)" : $"{name} {pfn} (ref {e.Value})";
            case StepId.page_remove_rmap:
                return e.Result ? $"{name} {pfn} (map {e.Value})" : $"{name} (no page)";
            case StepId.set_pte_at:
                return $"{name} {mm} {page} -> " + (Fuzz.Model.Machine.PteKind)e.Value switch
                {
                    Fuzz.Model.Machine.PteKind.Present => $"{pfn} {Rw(e.Detail)}",
                    Fuzz.Model.Machine.PteKind.Swap => $"swap slot {e.Pfn}",
                    Fuzz.Model.Machine.PteKind.Migration => $"migration entry pfn {e.Pfn}{(e.Detail == 1 ? " (write)" : "")}",
                    _ => "none",
                };
            case StepId.add_to_swap:
                return e.Result ? $"{name} {pfn} -> slot {e.Value}" : $"{name}: no slot";
            case StepId.swap_duplicate:
            case StepId.swap_free:
            case StepId.free_swap_and_cache:
                return e.Result ? $"{name} slot {e.Value}{(e.Pfn >= 0 && e.Step == StepId.free_swap_and_cache ? $" (and swap cache {pfn})" : "")}" : $"{name} (no swap entry)";
            case StepId.lookup_swap_cache:
                return e.Result ? $"{name} slot {e.Value} -> {pfn}" : $"{name} slot {e.Value}: no page";
            case StepId.__read_swap_cache_async:
                if (!e.Result) return $"{name} slot {e.Value}: no page";
                return e.Detail == 1 ? $"{name} slot {e.Value} -> new {pfn} (locked, !uptodate)" : $"{name} slot {e.Value} -> {pfn} (cached)";
            case StepId.swap_dev_write:
                return e.Result ? $"{name} {pfn} -> slot {e.Detail} (data {e.Value})" : $"{name} {pfn}: no slot";
            case StepId.swap_dev_read:
                return e.Result ? $"{name} slot {e.Detail} -> {pfn} (data {e.Value})" : $"{name} {pfn}: no slot";
            case StepId.is_page_cache_freeable:
                return $"{name} {pfn}: refcount {e.Value}: {YesNo(e.Result)}";
            case StepId.clear_page_dirty_for_io:
                return $"{name} {pfn} (was {(e.Result ? "dirty" : "clean")})";
            case StepId.ptep_clear_flush_young:
                return $"{name} {page} ({(e.Pfn >= 0 ? pfn : "not present")}{(e.Result ? ", was young" : ", old")})";
            case StepId.mmu_notifier_clear_flush_young:
                // amd_iommu_v2's callback flushes the page and answers 0 ("old"); intel-svm has none.
                return e.Result ? $"{name} {page} -> {(RecipeId)(e.Value - 1)} (says old)" : $"{name} {page} (no callback)";
            case StepId.__remove_mapping:
                return $"{name} {pfn}: refcount {e.Value}{(e.Result ? ", frozen" : " != 2, kept")}";
            case StepId.free_hot_cold_page_list:
                return e.Result ? $"{name} {pfn} (freed)" : $"{name}: nothing to free";
            case StepId.page_count:
                return $"{name} {pfn}: refcount {e.Value}{(e.Detail > 1 ? $" (reuse at {e.Detail})" : "")}: {YesNo(e.Result)}";
            case StepId.page_maybe_dma_pinned:
                return $"{name} {pfn}: {YesNo(e.Result)}";
            case StepId.page_pinned:
                return $"{name}: refcount {e.Value}, expected {e.Detail}: {YesNo(e.Result)}";
            case StepId.migrate_page_move_mapping:
                return $"{name}: refcount {e.Value}, expected {e.Detail}: {(e.Result ? "ok" : "-EAGAIN")}";
            case StepId.migrate_page_copy:
                return $"{name} {pfn} -> pfn {e.Value}";
            case StepId.pages_identical:
                return $"{name} {pfn} vs pfn {e.Value}: {YesNo(e.Result)}";
            case StepId.follow_page:
            case StepId.isolate_lru_page:
                return e.Result ? $"{name} {mm} {page} -> {pfn}" : $"{name} {mm} {page}: no page";
            case StepId.get_user_pages_fast:
                return e.Result ? $"{name} {page} -> {pfn} (pinned)" : $"{name} {page}: not mapped writable";
            case StepId.submit_bio:
                if (e.Operand == Fuzz.Model.Kernel.Operand.Page)
                    return e.Result ? $"{name} {pfn}: {(e.Detail == 1 ? "write to" : "read from")} slot {e.Value} queued" : $"{name} {pfn}: not in swap cache";
                return $"{name}: DMA writes {e.Value} into {pfn}";
            case StepId.set_tlb_ubc_flush_pending:
                return $"{name} {mm}{(e.Detail == 1 ? " (writable)" : "")}";
            case StepId.try_to_unmap_flush:
            case StepId.try_to_unmap_flush_dirty:
                return e.Result ? $"{name} ({Entries(e.Value, "tlb")})" : $"{name}: nothing deferred";
            case StepId.page_mapped:
                return $"{name} {pfn}: mapcount {e.Value}";
            case StepId.ptep_set_access_flags:
                return e.Result ? $"{name} {page} -> {pfn} {Rw(e.Detail)}" : $"{name} {page} (unchanged)";
            case StepId.ptep_get_and_clear:
            case StepId.ptep_get_and_clear_full:
                return e.Result ? $"{name} {page} (was {pfn}{(e.Detail == 1 ? " dirty" : "")})" : $"{name} {page} (was not present)";
            case StepId.ptep_set_wrprotect:
                return $"{name} {page}";
            case StepId.flush_tlb_page:
            case StepId.flush_tlb_mm:
            case StepId.tlb_flush:
            case StepId.flush_tlb_range:
                if (!e.Result) return $"{name}: nothing to flush";
                return $"{name} {(e.Va >= 0 ? range : mm)} ({Entries(e.Value, "tlb")})";
            case StepId.tlb_flush_batched:
                return $"{name} {mm}: {(e.Result ? "a flush is owed" : "none batched")} ({e.Value:x})";
            case StepId.clear_tlb_flush_batched:
                return e.Result ? $"{name} {mm}" : $"{name} {mm}: a new batch arrived meanwhile, kept";
            case StepId.mm_tlb_flush_nested:
                return $"{name}: pending {e.Value}{(e.Result ? " -> flush whole range" : "")}";
            case StepId.tlb_flush_mmu_free:
                return $"{name} ({e.Value} page{(e.Value == 1 ? "" : "s")})";
            case StepId.mmu_notifier_invalidate_range_start:
                return $"{name} {range}";
            case StepId.mmu_notifier_invalidate_range:
            case StepId.mmu_notifier_invalidate_range_end:
            case StepId.mmu_notifier_change_pte:
                if (!e.Result)
                    return e.Step == StepId.mmu_notifier_change_pte ? $"{name} {page} (no callback)" : e.Va < 0 ? $"{name}: nothing to flush" : $"{name} {range} (no callback)";
                return $"{name} {(e.Step == StepId.mmu_notifier_change_pte ? page : range)} -> {(RecipeId)(e.Value - 1)}";
        }
        if (e.IsCheck) return $"{name}: {YesNo(e.Result)}";
        return e.Step is StepId.vm_normal_page ? $"{name} -> {pfn}" : name;
    }

    /// <summary>"translation completion A -> pfn 3 ro (cached)", "... (stale: discarded)", "...: no translation".</summary>
    private static string Completion(string page, in TraceEvent e)
    {
        AtsOutcome outcome = AtsOutcomes.Outcome(e.Detail);
        string released = e.Value > 0 ? $"; completes {e.Value} ats invalidation{(e.Value == 1 ? "" : "s")}" : "";
        return outcome switch
        {
            AtsOutcome.Cached => $"translation completion {page} -> pfn {e.Pfn} {Rw(AtsOutcomes.Writable(e.Detail) ? 1 : 0)} (atc fill)",
            AtsOutcome.Discarded => $"translation completion {page}{(e.Pfn >= 0 ? $" -> pfn {e.Pfn}" : "")}: stale, discarded{released}",
            _ => $"translation completion {page}: no translation",
        };
    }

    /// <summary>An IOMMU command in the driver's vocabulary: AMD's command names, Intel's descriptor types.</summary>
    private static string IommuCommand(Simulator s, in TraceEvent e)
    {
        string range = e.Value > e.Va ? $"{Names.Page(e.Va)}-{Names.Page(e.Value)}" : Names.Page(e.Va);
        string issuer = e.Op >= 0 && e.Op < s.AgentNames.Length ? s.AgentNames[e.Op] : "?";
        string what = CommandName(e.Step);
        bool iotlb = e.Step is StepId.build_inv_iommu_pasid or StepId.QI_EIOTLB;
        string done = iotlb || e.Result ? "" : "; completes when the outstanding translations do";
        return $"{what} {range} ({issuer}'s): {Entries(e.Detail, iotlb ? "iotlb" : "atc")}{done}";
    }

    /// <summary>An IOMMU command by the driver's name for it (the step that queued it): AMD's command names, Intel's descriptor types.</summary>
    public static string CommandName(StepId queuedBy) => queuedBy switch
    {
        StepId.build_inv_iommu_pasid => "INVALIDATE_IOMMU_PAGES",
        StepId.build_inv_iotlb_pasid => "INVALIDATE_IOTLB_PAGES",
        StepId.QI_EIOTLB => "QI_EIOTLB",
        _ => "QI_DEIOTLB",
    };

    private static bool IsWrite(Simulator s, in TraceEvent e)
    {
        int op = CurrentOp(s, e);
        return op >= 0 && s.Ops[op].Kind is OpKind.Store or OpKind.DmaWrite;
    }

    /// <summary>The operation the agent was running at the event (found from the nearest OpBegin before it).</summary>
    private static int CurrentOp(Simulator s, in TraceEvent e)
    {
        ReadOnlySpan<TraceEvent> all = s.Trace.Events;
        int tick = e.Tick;
        for (int i = all.Length - 1; i >= 0; i--)
        {
            if (all[i].Agent == e.Agent && all[i].Kind == TraceKind.OpBegin && all[i].Tick <= tick) return all[i].Op;
        }
        return -1;
    }

    private static string Operand(in TraceEvent e) =>
        e.Operand == Fuzz.Model.Kernel.Operand.None ? "" : $"({OperandNames.Of(e.Operand)})";

    private static string Rw(int writable) => writable == 1 ? "rw" : "ro";

    private static string YesNo(bool b) => b ? "yes" : "no";

    private static string Entries(int n, string what) => $"{n} {what} entr{(n == 1 ? "y" : "ies")}";
}
