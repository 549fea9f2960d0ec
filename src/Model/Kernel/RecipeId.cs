namespace Fuzz.Model.Kernel;

/// <summary>Every recipe, named after the kernel function (or hardware flow) it models.</summary>
#pragma warning disable CA1707
public enum RecipeId : byte
{
    cpu_access,
    do_page_fault,
    handle_mm_fault,
    do_anonymous_page,
    do_wp_page,
    wp_page_reuse,
    wp_page_copy,
    madvise_dontneed,
    zap_page_range,
    zap_pte_range,
    tlb_finish_mmu,
    tlb_flush_mmu,
    tlb_flush_mmu_tlbonly,
    flush_tlb_batched_pending,
    fork,
    copy_page_range,
    copy_pte_range,
    device_access,
    iommu_do_fault,
    do_swap_page,
    migration_entry_wait,
    odirect_read,
    ksm_merge,
    try_to_merge_with_ksm_page,
    write_protect_page,
    replace_page,
    break_cow,
    shrink_page_list,
    try_to_unmap,
    try_to_unmap_one,
    migrate_pages,
    remove_migration_ptes,
    remove_migration_pte,
}
#pragma warning restore CA1707
