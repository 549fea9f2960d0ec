namespace Fuzz.Model.Kernel;

/// <summary>
/// Whether every step of a recipe can know what it acts on. A step that acts on "the current
/// address" (a PTE, its lock, a TLB entry) after an rmap walk has ended would act on the last
/// mapping the walk visited, which is not a thing the kernel code means: reclaim's code after
/// try_to_unmap() has a page, not an address. The check runs on every recipe a variant edits, so
/// that "insert shrink_page_list flush_tlb_page after try_to_unmap" is an error naming the line
/// rather than a kernel that silently flushes some other page.
/// </summary>
public static class TargetCheck
{
    /// <summary>The first step that needs an address where the address is a walk's leftover, as an error text; or null.</summary>
    public static string? AddressAfterWalk(RecipeDraft r, Func<RecipeId, RecipeDraft> draft)
    {
        int n = r.Code.Count;
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            if (r.Code[i].Kind == InstrKind.Label) labels.TryAdd(r.Code[i].Label!, i);
        }
        // unknown[i]: on some path to instruction i the address is what a finished walk left.
        var unknown = new bool[n + 1];
        var reached = new bool[n + 1];
        var work = new Stack<(int Pc, bool Unknown)>();
        work.Push((0, false));
        while (work.Count > 0)
        {
            var (pc, u) = work.Pop();
            if (pc < 0 || pc > n) continue;
            if (reached[pc] && (unknown[pc] || !u)) continue;
            reached[pc] = true;
            unknown[pc] |= u;
            u = unknown[pc];
            if (pc == n) continue;
            InstrDraft d = r.Code[pc];
            int target = d.Target is { } t && labels.TryGetValue(t, out int ti) ? ti : -1;
            switch (d.Kind)
            {
                case InstrKind.Goto:
                    work.Push((target, u));
                    break;
                case InstrKind.Return:
                    break;
                case InstrKind.RmapBegin:
                    // Inside the walk the address is the mapping's; with no mapping it is unchanged.
                    work.Push((pc + 1, false));
                    work.Push((target, u));
                    break;
                case InstrKind.RmapNext:
                    work.Push((target, false));
                    work.Push((pc + 1, true));
                    break;
                case InstrKind.Call:
                    bool clobbered = u || Walks(d.Callee, draft, new HashSet<RecipeId>());
                    work.Push((pc + 1, clobbered));
                    if (target >= 0) work.Push((target, clobbered));
                    break;
                case InstrKind.Check:
                    work.Push((pc + 1, u));
                    work.Push((target, u));
                    break;
                default:
                    work.Push((pc + 1, u));
                    break;
            }
        }
        for (int i = 0; i < n; i++)
        {
            InstrDraft d = r.Code[i];
            if (!reached[i] || !unknown[i] || !d.IsStep || !NeedsAddress(d.Step, d.Operand)) continue;
            return $"'{r.ReferenceOf(i)}' in {r.Name} acts on the current address, but there it is whatever mapping the rmap walk " +
                "visited last; put it inside the walk (the recipe the walk calls), or before it";
        }
        return null;
    }

    /// <summary>Whether a recipe walks the rmap itself or through a recipe it calls.</summary>
    private static bool Walks(RecipeId id, Func<RecipeId, RecipeDraft> draft, HashSet<RecipeId> seen)
    {
        if (!seen.Add(id)) return false;
        foreach (InstrDraft d in draft(id).Code)
        {
            if (d.Kind is InstrKind.RmapBegin or InstrKind.RmapNext) return true;
            if (d.Kind == InstrKind.Call && Walks(d.Callee, draft, seen)) return true;
        }
        return false;
    }

    /// <summary>Steps that act on the current (mm, address): its PTE, its page-table lock, its TLB entries.</summary>
    public static bool NeedsAddress(StepId step, Operand operand) => step switch
    {
        StepId.mmu_access or StepId.dma_access or StepId.ats_translation_request or StepId.pri_page_request => true,
        StepId.pte_offset_map_lock or StepId.pte_alloc_map_lock or StepId.spin_lock or StepId.spin_lock_nested
            or StepId.spin_unlock or StepId.pte_unmap_unlock => true,
        StepId.read_orig_pte or StepId.pte_same or StepId.check_pte or StepId.orig_pte_snapshot => true,
        StepId.pte_none or StepId.pte_present or StepId.pte_write or StepId.is_migration_entry => operand != Operand.Orig,
        StepId.pte_dirty => operand is not (Operand.Orig or Operand.PteVal),
        StepId.pte_mkold => operand != Operand.Target,
        StepId.is_write_migration_entry or StepId.set_pte_at or StepId.ptep_set_access_flags or StepId.ptep_get_and_clear
            or StepId.ptep_get_and_clear_full or StepId.ptep_set_wrprotect or StepId.pte_clear_not_present_full
            or StepId.make_migration_entry_read or StepId.free_swap_and_cache or StepId.get_page_unless_zero => true,
        StepId.flush_tlb_page or StepId.tlb_remove_tlb_entry => true,
        StepId.mmu_notifier_invalidate_range_start or StepId.mmu_notifier_invalidate_range
            or StepId.mmu_notifier_invalidate_range_end => operand == Operand.None,
        StepId.mmu_notifier_change_pte => true,
        StepId.swap_duplicate => operand != Operand.Page,
        StepId.follow_page => operand != Operand.Tree,
        StepId.isolate_lru_page or StepId.get_user_pages_fast => true,
        _ => false,
    };
}
