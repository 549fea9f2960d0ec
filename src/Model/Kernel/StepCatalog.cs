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
        S(StepId.mk_pte, StepCategory.Entry, "entry = maybe_mkwrite(pte_mkdirty(mk_pte(page)))", local: true);
        S(StepId.my_zero_pfn, StepCategory.Entry, "entry = the zero page, read-only (pte_mkspecial)", local: true);
        S(StepId.maybe_mkwrite, StepCategory.Entry, "entry = maybe_mkwrite(pte_mkdirty(pte_mkyoung(orig_pte)))", local: true);
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

        for (int i = 0; i < t.Length; i++)
        {
            if (t[i].Name is null) throw new InvalidOperationException($"step {(StepId)i} has no catalog entry");
        }
        return t;
    }
}
