namespace Fuzz.Model.Kernel;

/// <summary>The table of <see cref="StepInfo"/> for every <see cref="StepId"/>.</summary>
public static class StepCatalog
{
    private static readonly StepInfo[] Infos = Build();

    public static ref readonly StepInfo Info(StepId id) => ref Infos[(int)id];

    public static string Name(StepId id) => Infos[(int)id].Name;

    public static int Count => Infos.Length;

    public static bool TryParse(string name, out StepId id)
    {
        for (int i = 0; i < Infos.Length; i++)
        {
            if (Infos[i].Name == name)
            {
                id = (StepId)i;
                return true;
            }
        }
        id = default;
        return false;
    }

    private static StepInfo[] Build()
    {
        var t = new StepInfo[Enum.GetValues<StepId>().Length];
        void S(StepId id, StepCategory c, string summary, bool local = false, bool blocking = false) =>
            t[(int)id] = new StepInfo(id.ToString(), c, local, blocking, summary);

        S(StepId.mmu_access, StepCategory.Hardware, "CPU load/store: TLB hit, or page walk that fills the TLB (sets the PTE dirty bit on a store); else #PF");
        S(StepId.dma_access, StepCategory.Hardware, "device DMA through its ATC entry; false on an ATC miss");
        S(StepId.ats_translate, StepCategory.Hardware, "ATS translation request: the IOMMU walks the CPU page table (no kernel lock) and fills the ATC");
        S(StepId.pri_page_request, StepCategory.Hardware, "the device sends a PRI page request for an address ATS could not translate");
        S(StepId.pri_wait_response, StepCategory.Wait, "the device waits for the PRI response", blocking: true);
        S(StepId.finish_pri_tag, StepCategory.Hardware, "the IOMMU driver sends the PRI response (amd_iommu_complete_ppr)");

        S(StepId.down_read_mmap_sem, StepCategory.Lock, "down_read(&mm->mmap_sem)", blocking: true);
        S(StepId.up_read_mmap_sem, StepCategory.Unlock, "up_read(&mm->mmap_sem)");
        S(StepId.down_write_mmap_sem, StepCategory.Lock, "down_write(&mm->mmap_sem)", blocking: true);
        S(StepId.up_write_mmap_sem, StepCategory.Unlock, "up_write(&mm->mmap_sem)");
        S(StepId.pte_offset_map_lock, StepCategory.Lock, "map the PTE and take the page-table lock", blocking: true);
        S(StepId.pte_alloc_map_lock, StepCategory.Lock, "fork: take the child's page-table lock", blocking: true);
        S(StepId.spin_lock, StepCategory.Lock, "spin_lock(vmf->ptl): take the page-table lock", blocking: true);
        S(StepId.spin_lock_nested, StepCategory.Lock, "fork: take the parent's page-table lock (src_ptl)", blocking: true);
        S(StepId.spin_unlock, StepCategory.Unlock, "fork: drop the parent's page-table lock (src_ptl)");
        S(StepId.pte_unmap_unlock, StepCategory.Unlock, "drop the page-table lock");
        S(StepId.lock_page, StepCategory.Lock, "lock_page(): sleep until PG_locked is ours", blocking: true);
        S(StepId.trylock_page, StepCategory.Lock, "trylock_page(): take PG_locked if free");
        S(StepId.unlock_page, StepCategory.Unlock, "unlock_page()");

        S(StepId.read_orig_pte, StepCategory.Check, "vmf->orig_pte = *vmf->pte, read without the PTL (handle_pte_fault)");
        S(StepId.pte_none, StepCategory.Check, "pte_none() of the PTE under the PTL, or of orig_pte", local: true);
        S(StepId.pte_present, StepCategory.Check, "pte_present() of the PTE under the PTL, or of orig_pte", local: true);
        S(StepId.pte_write, StepCategory.Check, "pte_write() of the PTE under the PTL, or of orig_pte", local: true);
        S(StepId.pte_same, StepCategory.Check, "pte_same(*pte, orig_pte) under the PTL: nobody changed the PTE since it was read", local: true);
        S(StepId.write_fault, StepCategory.Check, "vmf->flags & FAULT_FLAG_WRITE", local: true);
        S(StepId.vm_normal_page, StepCategory.Check, "the struct page behind the PTE (NULL for the zero page)", local: true);
        S(StepId.is_zero_pfn, StepCategory.Check, "is_zero_pfn(pte_pfn(orig_pte))", local: true);
        S(StepId.PageKsm, StepCategory.Check, "PageKsm(page): a KSM page is never reused in place", local: true);
        S(StepId.reuse_swap_page, StepCategory.Check, "mapcount + swapcount <= 1: the page is ours alone and may be made writable in place");

        S(StepId.page_count, StepCategory.Check, "page_count(page) == 1: no reference but the mapping's, e.g. none held by an mmu_gather that has not flushed yet (v5.9, 09854ba94c6a)");
        S(StepId.mk_pte, StepCategory.Entry, "entry = mk_pte(page, vma->vm_page_prot): read-only, young (default page: new_page)", local: true);
        S(StepId.my_zero_pfn, StepCategory.Entry, "entry = the zero page, read-only (pte_mkspecial)", local: true);
        S(StepId.maybe_mkwrite, StepCategory.Entry, "entry = maybe_mkwrite(entry): writable (the VMA allows writes)", local: true);
        S(StepId.pte_mkyoung, StepCategory.Entry, "entry = pte_mkyoung(orig_pte), and pte_mkdirty on a write fault", local: true);
        S(StepId.pte_mkold, StepCategory.Entry, "child entry = pte_mkold(pte) (copy_one_pte)", local: true);

        S(StepId.alloc_zeroed_user_highpage_movable, StepCategory.Page, "allocate a zeroed page (refcount 1)");
        S(StepId.alloc_page_vma, StepCategory.Page, "allocate a page, not cleared (refcount 1)");
        S(StepId.cow_user_page, StepCategory.Page, "copy the old page's data into the new page");
        S(StepId.get_page, StepCategory.Page, "take a page reference");
        S(StepId.put_page, StepCategory.Page, "drop a page reference; the last one frees the frame");
        S(StepId.page_add_new_anon_rmap, StepCategory.Page, "mapcount of the new page = 1", local: true);
        S(StepId.page_dup_rmap, StepCategory.Page, "mapcount++ (fork shares the page)");
        S(StepId.page_remove_rmap, StepCategory.Page, "mapcount--");

        S(StepId.set_pte_at, StepCategory.PteWrite, "write the PTE");
        S(StepId.ptep_set_access_flags, StepCategory.PteWrite, "update the PTE in place (more permissive: no flush needed)");
        S(StepId.ptep_get_and_clear, StepCategory.PteWrite, "atomically clear the PTE, keeping the old value (first half of ptep_clear_flush)");
        S(StepId.ptep_get_and_clear_full, StepCategory.PteWrite, "atomically clear the PTE, keeping the old value (zap)");
        S(StepId.ptep_set_wrprotect, StepCategory.PteWrite, "clear the parent's write bit (fork: both sides become CoW)");

        S(StepId.flush_tlb_page, StepCategory.TlbFlush, "shoot down every CPU's TLB entry for the address, and wait (second half of ptep_clear_flush)");
        S(StepId.flush_tlb_mm, StepCategory.TlbFlush, "shoot down every CPU's TLB entries for the mm");
        S(StepId.flush_tlb_batched_pending, StepCategory.TlbFlush, "if reclaim deferred a flush for this mm (tlb_flush_batched), do it now");

        S(StepId.tlb_gather_mmu, StepCategory.Gather, "start an mmu_gather: inc_tlb_flush_pending(mm)");
        S(StepId.tlb_remove_tlb_entry, StepCategory.Gather, "record the address in the gather's flush range", local: true);
        S(StepId.__tlb_remove_page, StepCategory.Gather, "queue the page in the gather: freed only after the flush", local: true);
        S(StepId.mm_tlb_flush_nested, StepCategory.Check, "another thread is batching a flush for this mm (tlb_flush_pending > 1): flush the whole range");
        S(StepId.tlb_flush, StepCategory.TlbFlush, "flush_tlb_mm_range() over the gather's range, if it recorded one");
        S(StepId.tlb_flush_mmu_free, StepCategory.Gather, "free the gathered pages (after the flush)");
        S(StepId.dec_tlb_flush_pending, StepCategory.Gather, "end of the mmu_gather: dec_tlb_flush_pending(mm)");

        S(StepId.mmu_notifier_invalidate_range_start, StepCategory.SecondaryFlush, "secondary MMUs: a range is about to change (nothing for the IOMMU in v4.14)");
        S(StepId.mmu_notifier_invalidate_range, StepCategory.SecondaryFlush, "->invalidate_range(): flush the IOTLB and device ATC for the range and wait for completion");
        S(StepId.mmu_notifier_invalidate_range_end, StepCategory.SecondaryFlush, "end of the range; in v4.14 it also calls ->invalidate_range()");
        S(StepId.mmu_notifier_change_pte, StepCategory.SecondaryFlush, "->change_pte() before set_pte_at (intel-svm flushes; amd_iommu_v2 has none)");

        S(StepId.dup_mm, StepCategory.Task, "fork: the child mm exists (its tasks do not run yet)");
        S(StepId.wake_up_new_task, StepCategory.Task, "fork returns: the child's tasks may run");

        S(StepId.pte_mkdirty, StepCategory.Entry, "entry = pte_mkdirty(entry)", local: true);
        S(StepId.pte_mkclean, StepCategory.Entry, "entry = pte_mkclean(pte_wrprotect(entry)) from the value the clear returned", local: true);
        S(StepId.swp_entry_to_pte, StepCategory.Entry, "swp_pte = swp_entry_to_pte(entry): a swap entry for the page's slot", local: true);
        S(StepId.make_migration_entry, StepCategory.Entry, "swp_pte = make_migration_entry(page, pte_write(pteval))", local: true);
        S(StepId.orig_pte_snapshot, StepCategory.Entry, "*orig_pte = *pvmw.pte: the value replace_page() will recheck with pte_same()", local: true);
        S(StepId.tree_page, StepCategory.Entry, "try_to_merge_two_pages(): next, merge tree_page into page (now the KSM page)", local: true);
        S(StepId.migrate_target, StepCategory.Check, "rc == MIGRATEPAGE_SUCCESS: migration entries become newpage, else page again", local: true);

        S(StepId.check_pte, StepCategory.Check, "page_vma_mapped_walk(): under the PTL, the PTE still maps the page", local: true);
        S(StepId.is_migration_entry, StepCategory.Check, "is_migration_entry(pte_to_swp_entry(pte))", local: true);
        S(StepId.is_write_migration_entry, StepCategory.Check, "is_write_migration_entry(entry): the page was writable when it was unmapped", local: true);
        S(StepId.pte_dirty, StepCategory.Check, "pte_dirty() of the PTE or of the cleared value", local: true);
        S(StepId.mm_tlb_flush_pending, StepCategory.Check, "mm_tlb_flush_pending(mm): someone cleared PTEs of this mm and has not flushed yet (16af97dc5a89)");
        S(StepId.page_pinned, StepCategory.Check, "page_mapcount(page) + 1 + swapped != page_count(page): O_DIRECT or GUP holds the page");
        S(StepId.page_maybe_dma_pinned, StepCategory.Check, "page_maybe_dma_pinned(page): an O_DIRECT (FOLL_PIN) reference is outstanding: reclaim must not unmap it (v5.19, 6c287605fd56)");
        S(StepId.kpage, StepCategory.Check, "kpage != NULL: merging into an existing KSM page", local: true);
        S(StepId.pages_identical, StepCategory.Check, "pages_identical(page, kpage): memcmp of the two pages' data");
        S(StepId.page_mapped, StepCategory.Check, "page_mapped(page): some PTE still maps it");
        S(StepId.PageSwapCache, StepCategory.Check, "PageSwapCache(page) && page_private(page) == entry: still the slot's swap cache page");
        S(StepId.PageDirty, StepCategory.Check, "PageDirty(page): the page must be written back before it is dropped");
        S(StepId.should_defer_flush, StepCategory.Check, "should_defer_flush(): TTU_BATCH_FLUSH and other CPUs run the mm (knob batched_reclaim)", local: true);
        S(StepId.TTU_MIGRATION, StepCategory.Check, "flags & TTU_MIGRATION: install a migration entry rather than a swap entry", local: true);

        S(StepId.follow_page, StepCategory.Page, "follow_page(vma, addr, FOLL_GET): the anonymous page mapped there, with a reference");
        S(StepId.isolate_lru_page, StepCategory.Page, "isolate the page mapped at the address from the LRU, with a reference");
        S(StepId.putback_lru_page, StepCategory.Page, "putback_lru_page(): back on the LRU, the isolation reference dropped");
        S(StepId.page_add_anon_rmap, StepCategory.Page, "mapcount++ for a page that others may already map");
        S(StepId.set_page_stable_node, StepCategory.Page, "the page becomes a KSM page (PageKsm): shared read-only, never reused in place");
        S(StepId.set_page_dirty, StepCategory.Page, "if (pte_dirty(pteval)) set_page_dirty(page): the PTE's dirty bit moves to the page");
        S(StepId.add_to_swap, StepCategory.Page, "get_swap_page() + add_to_swap_cache(): the page gets a slot and joins the swap cache, dirty");
        S(StepId.swap_duplicate, StepCategory.Page, "swap_duplicate(entry): one more PTE refers to the slot");
        S(StepId.swap_free, StepCategory.Page, "swap_free(entry): one PTE fewer refers to the slot");
        S(StepId.free_swap_and_cache, StepCategory.Page, "free_swap_and_cache(entry): drop the PTE's slot reference, and the swap cache page if nothing else needs it");
        S(StepId.try_to_free_swap, StepCategory.Page, "try_to_free_swap(page): leave the swap cache when no PTE refers to the slot");
        S(StepId.lookup_swap_cache, StepCategory.Page, "lookup_swap_cache(entry): the slot's page, with a reference, if it is still cached");
        S(StepId.read_swap_cache_async, StepCategory.Page, "swapin_readahead(): allocate a page, add it to the swap cache, read the slot");
        S(StepId.pageout, StepCategory.Page, "pageout(): write the page to its slot and clear PG_dirty");
        S(StepId.__remove_mapping, StepCategory.Check, "__remove_mapping(): page_ref_freeze(page, 2) fails if anyone else holds the page; else leave the swap cache");
        S(StepId.free_hot_cold_page_list, StepCategory.Page, "free the reclaimed page (after try_to_unmap_flush)");
        S(StepId.migrate_page_move_mapping, StepCategory.Check, "migrate_page_move_mapping(): page_count(page) == expected_count, else -EAGAIN");
        S(StepId.migrate_page_copy, StepCategory.Page, "migrate_page_copy(newpage, page): copy data and state");
        S(StepId.get_page_unless_zero, StepCategory.Page, "get_page_unless_zero(page) (migration_entry_wait)");
        S(StepId.wait_on_page_locked, StepCategory.Wait, "wait_on_page_locked(page): sleep until the migration unlocks the page", blocking: true);
        S(StepId.get_user_pages_fast, StepCategory.Page, "get_user_pages_fast(): with IRQs off (so no TLB shootdown completes meanwhile), walk the PTE and pin the page");
        S(StepId.submit_bio, StepCategory.Page, "the disk's DMA writes the read data into the pinned page, by physical address");

        S(StepId.pte_clear_not_present_full, StepCategory.PteWrite, "clear a swap or migration entry (zap)");
        S(StepId.make_migration_entry_read, StepCategory.PteWrite, "fork: a write migration entry in the parent becomes a read one");

        S(StepId.set_tlb_ubc_flush_pending, StepCategory.TlbFlush, "defer the flush to try_to_unmap_flush(); mm->tlb_flush_batched = true (3ea277194daa)");
        S(StepId.try_to_unmap_flush_dirty, StepCategory.TlbFlush, "before writeback: flush if a deferred entry may be writable");
        S(StepId.try_to_unmap_flush, StepCategory.TlbFlush, "do the deferred flush (before the pages are freed)");

        for (int i = 0; i < t.Length; i++)
        {
            if (t[i].Name is null) throw new InvalidOperationException($"step {(StepId)i} has no catalog entry");
        }
        return t;
    }
}
