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
    private static readonly (RecipeId Recipe, string Step, Requirement Why)[] Table =
    [
        (RecipeId.wp_page_copy, "flush_tlb_page", Requirement.CpuTlbFlush),
        (RecipeId.tlb_finish_mmu, "tlb_flush", Requirement.CpuTlbFlush),
        (RecipeId.fork, "flush_tlb_mm", Requirement.CpuTlbFlush),
        (RecipeId.write_protect_page, "flush_tlb_page", Requirement.CpuTlbFlush),
        (RecipeId.replace_page, "flush_tlb_page", Requirement.CpuTlbFlush),
        (RecipeId.try_to_unmap_one, "flush_tlb_page", Requirement.CpuTlbFlush),
        (RecipeId.try_to_unmap_one, "set_tlb_ubc_flush_pending", Requirement.CpuTlbFlush),
        (RecipeId.shrink_page_list, "try_to_unmap_flush_dirty", Requirement.CpuTlbFlush),
        (RecipeId.shrink_page_list, "try_to_unmap_flush#1", Requirement.CpuTlbFlush),

        (RecipeId.wp_page_copy, "mmu_notifier_invalidate_range", Requirement.SecondaryInvalidation),
        (RecipeId.replace_page, "mmu_notifier_invalidate_range", Requirement.SecondaryInvalidation),
        (RecipeId.tlb_finish_mmu, "mmu_notifier_invalidate_range(tlb)", Requirement.SecondaryInvalidation),
        (RecipeId.try_to_unmap_one, "mmu_notifier_invalidate_range", Requirement.SecondaryInvalidation),

        (RecipeId.tlb_finish_mmu, "mm_tlb_flush_nested", Requirement.NestedFlush),
        (RecipeId.zap_pte_range, "flush_tlb_batched_pending", Requirement.BatchedPending),
        (RecipeId.do_swap_page, "flush_tlb_batched_pending", Requirement.BatchedPending),

        (RecipeId.handle_mm_fault, "pte_same", Requirement.PteRecheck),
        (RecipeId.do_anonymous_page, "pte_none#1", Requirement.PteRecheck),
        (RecipeId.do_anonymous_page, "pte_none#2", Requirement.PteRecheck),
        (RecipeId.do_wp_page, "pte_same", Requirement.PteRecheck),
        (RecipeId.wp_page_copy, "pte_same", Requirement.PteRecheck),
        (RecipeId.do_swap_page, "pte_same", Requirement.PteRecheck),
        (RecipeId.replace_page, "pte_same", Requirement.PteRecheck),
        (RecipeId.write_protect_page, "check_pte", Requirement.PteRecheck),
        (RecipeId.try_to_unmap_one, "check_pte", Requirement.PteRecheck),
        (RecipeId.migration_entry_wait, "is_migration_entry", Requirement.PteRecheck),

        (RecipeId.do_wp_page, "reuse_swap_page", Requirement.RefcountCheck),
        (RecipeId.do_wp_page, "page_count", Requirement.RefcountCheck),
        (RecipeId.do_swap_page, "reuse_swap_page", Requirement.RefcountCheck),
        (RecipeId.do_swap_page, "page_count(swapcache)", Requirement.RefcountCheck),
        (RecipeId.try_to_unmap_one, "page_maybe_dma_pinned", Requirement.RefcountCheck),
        (RecipeId.write_protect_page, "page_pinned", Requirement.RefcountCheck),
        (RecipeId.shrink_page_list, "__remove_mapping", Requirement.RefcountCheck),
        (RecipeId.migrate_pages, "migrate_page_move_mapping", Requirement.RefcountCheck),
    ];

    /// <summary>Why removing this step must be caught, or None.</summary>
    public static Requirement Of(RecipeId recipe, string stepReference)
    {
        foreach (var (r, step, why) in Table)
        {
            if (r == recipe && step == stepReference) return why;
        }
        return Requirement.None;
    }

    /// <summary>Every listed step must exist in the kernel (a renamed step must not silently drop out of the audit).</summary>
    public static IEnumerable<string> Missing(KernelDefinition kernel)
    {
        foreach (var (r, step, _) in Table)
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
