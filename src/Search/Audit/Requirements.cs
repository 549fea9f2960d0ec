using Fuzz.Model.Kernel;

namespace Fuzz.Search.Audit;

/// <summary>
/// The steps whose removal the audit must catch: every CPU TLB flush, every secondary invalidation
/// guarding a PTE pointed at a new page or a page about to be freed, the nested-flush check,
/// flush_tlb_batched_pending, the pte_same-style rechecks, and the refcount and pin checks.
/// Anything listed here and not caught is reported, and README.md explains each with a kernel
/// reference.
/// </summary>
public static class Requirements
{
    /// <summary>
    /// (recipe, step, how it is mutated: null for removal, true/false for a forced check's answer).
    /// Derived for kernels/v4.14-fixed.kernel: a step listed here is one that kernel cannot do
    /// without in the model's operations. v4.14's own overlaps are not listed: zap_page_range()'s
    /// flush_tlb_range() covers tlb_flush_mmu_tlbonly()'s tlb_flush, mm_tlb_flush_nested and
    /// zap_pte_range()'s flush_tlb_batched_pending for MADV_DONTNEED (and each of those covers it),
    /// so none of them is needed alone; seed (a) and the tests of kernels/ check them in pairs.
    /// </summary>
    private static readonly (RecipeId Recipe, string Step, bool? Forced, Requirement Why)[] Table =
    [
        (RecipeId.wp_page_copy, "flush_tlb_page", null, Requirement.CpuTlbFlush),
        (RecipeId.fork, "flush_tlb_mm", null, Requirement.CpuTlbFlush),
        (RecipeId.write_protect_page, "flush_tlb_page", null, Requirement.CpuTlbFlush),
        (RecipeId.replace_page, "flush_tlb_page", null, Requirement.CpuTlbFlush),
        (RecipeId.try_to_unmap_one, "flush_tlb_page", null, Requirement.CpuTlbFlush),
        (RecipeId.try_to_unmap_one, "set_tlb_ubc_flush_pending", null, Requirement.CpuTlbFlush),
        (RecipeId.shrink_page_list, "try_to_unmap_flush_dirty", null, Requirement.CpuTlbFlush),
        (RecipeId.shrink_page_list, "try_to_unmap_flush#1", null, Requirement.CpuTlbFlush),

        (RecipeId.wp_page_copy, "mmu_notifier_invalidate_range", null, Requirement.SecondaryInvalidation),

        (RecipeId.do_swap_page, "flush_tlb_batched_pending", null, Requirement.BatchedPending),

        (RecipeId.handle_mm_fault, "pte_same", true, Requirement.PteRecheck),
        (RecipeId.do_anonymous_page, "pte_none#1", true, Requirement.PteRecheck),
        (RecipeId.do_anonymous_page, "pte_none#2", true, Requirement.PteRecheck),
        (RecipeId.do_wp_page, "pte_same", true, Requirement.PteRecheck),
        (RecipeId.wp_page_copy, "pte_same", true, Requirement.PteRecheck),
        (RecipeId.do_swap_page, "pte_same", true, Requirement.PteRecheck),
        (RecipeId.replace_page, "pte_same", true, Requirement.PteRecheck),
        (RecipeId.write_protect_page, "check_pte", true, Requirement.PteRecheck),
        (RecipeId.try_to_unmap_one, "check_pte", true, Requirement.PteRecheck),
        (RecipeId.migration_entry_wait, "is_migration_entry", null, Requirement.PteRecheck),

        (RecipeId.do_wp_page, "page_count", true, Requirement.RefcountCheck),
        (RecipeId.do_swap_page, "reuse_swap_page", null, Requirement.RefcountCheck),
        (RecipeId.do_swap_page, "page_count(swapcache)", true, Requirement.RefcountCheck),
        (RecipeId.try_to_unmap_one, "page_maybe_dma_pinned", false, Requirement.RefcountCheck),
        (RecipeId.write_protect_page, "page_pinned", false, Requirement.RefcountCheck),
        (RecipeId.shrink_page_list, "__remove_mapping", null, Requirement.RefcountCheck),
        (RecipeId.migrate_pages, "migrate_page_move_mapping", null, Requirement.RefcountCheck),
    ];

    /// <summary>Why this edit (removal, or the forced answer) must be caught, or None.</summary>
    public static Requirement Of(RecipeId recipe, string stepReference, bool? forced = null)
    {
        foreach (var (r, step, f, why) in Table)
        {
            if (r == recipe && step == stepReference && f == forced) return why;
        }
        return Requirement.None;
    }

    /// <summary>Every listed step must exist in the kernel (a renamed step must not silently drop out of the audit).</summary>
    public static IEnumerable<string> Missing(KernelDefinition kernel)
    {
        foreach (var (r, step, _, _) in Table)
        {
            if (kernel.Draft(r).Resolve(step, out _) < 0) yield return $"{r} {step}";
        }
    }

    public static string Describe(Requirement r) => r switch
    {
        Requirement.CpuTlbFlush => "CPU TLB flush",
        Requirement.SecondaryInvalidation => "secondary invalidation (new or freed page)",
        Requirement.NestedFlush => "nested-flush check",
        Requirement.BatchedPending => "flush_tlb_batched_pending",
        Requirement.PteRecheck => "PTE recheck under the PTL",
        Requirement.RefcountCheck => "refcount / pin check",
        _ => "",
    };

    /// <summary>Short form for the table.</summary>
    public static string Short(Requirement r) => r switch
    {
        Requirement.CpuTlbFlush => "tlb-flush",
        Requirement.SecondaryInvalidation => "sec-inval",
        Requirement.NestedFlush => "nested",
        Requirement.BatchedPending => "batched",
        Requirement.PteRecheck => "recheck",
        Requirement.RefcountCheck => "refcount",
        _ => "",
    };
}
