namespace Fuzz.Model.Kernel;

/// <summary>
/// Every atomic step the model knows, named after the kernel function (or hardware action) it
/// stands for. Recipes are sequences of these; a variant removes, moves, replaces or inserts them.
/// Names are kept verbatim, underscores and all, so that a recipe listing reads like the source.
/// </summary>
#pragma warning disable CA1707 // kernel names are the vocabulary of this tool
public enum StepId : byte
{
    // ---- hardware: CPU MMU, device, IOMMU ----
    mmu_access,
    dma_access,
    ats_translation_request,
    ats_translation_completion,
    pri_page_request,
    pri_wait_response,
    finish_pri_tag,

    // ---- locks ----
    down_read_mmap_sem,
    up_read_mmap_sem,
    down_write_mmap_sem,
    up_write_mmap_sem,
    pte_offset_map_lock,
    pte_alloc_map_lock,
    spin_lock,
    spin_lock_nested,
    spin_unlock,
    pte_unmap_unlock,
    lock_page,
    trylock_page,
    unlock_page,

    // ---- reading and testing PTEs and pages (local: on the kernel's copy, or under the PTL) ----
    read_orig_pte,
    pte_none,
    pte_present,
    pte_write,
    pte_same,
    write_fault,
    vm_normal_page,
    is_zero_pfn,
    PageKsm,
    reuse_swap_page,
    page_count,

    // ---- building entries ----
    mk_pte,
    my_zero_pfn,
    maybe_mkwrite,
    pte_mkyoung,
    pte_mkold,

    // ---- pages: allocation, copy, references, rmap ----
    alloc_zeroed_user_highpage_movable,
    alloc_page_vma,
    cow_user_page,
    get_page,
    put_page,
    page_add_new_anon_rmap,
    page_dup_rmap,
    page_remove_rmap,

    // ---- writing PTEs ----
    set_pte_at,
    ptep_set_access_flags,
    ptep_get_and_clear,
    ptep_get_and_clear_full,
    ptep_set_wrprotect,

    // ---- CPU TLB flushing ----
    flush_tlb_page,
    flush_tlb_mm,
    tlb_flush_batched,
    clear_tlb_flush_batched,
    flush_tlb_range,

    // ---- mmu_gather ----
    tlb_gather_mmu,
    tlb_remove_tlb_entry,
    tlb_end,
    __tlb_reset_range,
    addr_not_end,
    __tlb_remove_page,
    mm_tlb_flush_nested,
    tlb_flush,
    tlb_flush_mmu_free,
    dec_tlb_flush_pending,

    // ---- mmu_notifier (secondary MMU: the IOMMU) ----
    mmu_notifier_invalidate_range_start,
    mmu_notifier_invalidate_range,
    mmu_notifier_invalidate_range_end,
    mmu_notifier_change_pte,

    // ---- fork ----
    dup_mm,
    wake_up_new_task,

    // ---- entries (continued) ----
    pte_mkdirty,
    pte_mkclean,
    swp_entry_to_pte,
    make_migration_entry,
    orig_pte_snapshot,
    tree_page,
    migrate_target,
    clear_fault_flag_write,
    fault_flag_write,
    rmap_item,

    // ---- checks (continued) ----
    check_pte,
    is_migration_entry,
    is_write_migration_entry,
    pte_dirty,
    mm_tlb_flush_pending,
    page_pinned,
    page_maybe_dma_pinned,
    kpage,
    pages_identical,
    page_mapped,
    PageSwapCache,
    PageDirty,
    should_defer_flush,
    TTU_MIGRATION,

    // ---- pages, swap, rmap (continued) ----
    follow_page,
    isolate_lru_page,
    putback_lru_page,
    page_add_anon_rmap,
    set_page_stable_node,
    set_page_dirty,
    SetPageDirty,
    add_to_swap,
    swap_duplicate,
    swap_free,
    free_swap_and_cache,
    try_to_free_swap,
    lookup_swap_cache,
    __read_swap_cache_async,
    __remove_mapping,
    free_hot_cold_page_list,
    migrate_page_move_mapping,
    migrate_page_copy,
    get_page_unless_zero,
    wait_on_page_locked,
    get_user_pages_fast,
    submit_bio,

    // ---- PTE writes (continued) ----
    pte_clear_not_present_full,
    make_migration_entry_read,

    // ---- reclaim's batched TLB flush ----
    set_tlb_ubc_flush_pending,
    try_to_unmap_flush_dirty,
    try_to_unmap_flush,

    // ---- the SVA drivers' invalidation (drivers/iommu/amd_iommu_v2.c, amd_iommu.c, intel-svm.c) ----
    single_page_range,
    amd_iommu_flush_page,
    amd_iommu_flush_tlb,
    build_inv_iommu_pasid,
    build_inv_iotlb_pasid,
    domain_flush_complete,
    QI_EIOTLB,
    QI_DEIOTLB,
    qi_submit_sync,
    calculate_psi_aligned_address,

    // ---- reclaim's aging: the accessed bit and ->clear_flush_young ----
    TTU_IGNORE_ACCESS,
    ptep_clear_flush_young,
    mmu_notifier_clear_flush_young,
    young,
    referenced_ptes,
    page_vma_mapped_walk_done,

    // ---- writeback and swap I/O ----
    PageWriteback,
    PageUptodate,
    is_page_cache_freeable,
    clear_page_dirty_for_io,
    set_page_writeback,
    end_page_writeback,
    SetPageUptodate,
    rw_page,
    swap_dev_write,
    swap_dev_read,
    page_was_allocated,

    // ---- fault flags: VM_FAULT_RETRY ----
    fault_flags,
    FAULT_FLAG_ALLOW_RETRY,
    fault_flag_tried,
}
#pragma warning restore CA1707
