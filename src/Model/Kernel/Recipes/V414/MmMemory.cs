using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/memory.c: the fault handlers, copy-on-write, zapping with the mmu_gather, fork's page-table copy, swap-in.</summary>
internal static class MmMemory
{
    /// <summary>
    /// mm/memory.c: handle_mm_fault() -> __handle_mm_fault() -> handle_pte_fault() (v4.14).
    /// orig_pte is read without the PTL; everything decided from it is rechecked under the PTL with
    /// pte_same() ("if (unlikely(!pte_same(*vmf->pte, entry))) goto unlock;"). Returns false for
    /// VM_FAULT_RETRY (do_swap_page dropped mmap_sem to wait for a page lock).
    /// </summary>
    internal static RecipeDraft HandleMmFault() =>
        new RecipeBuilder(handle_mm_fault, "mm/memory.c: handle_pte_fault() (v4.14)")
            .Step(read_orig_pte)
            .If(pte_none, "anonymous", Orig)
            .IfNot(pte_present, "swap", Orig)
            .Step(spin_lock)
            .IfNot(pte_same, "unlock")
            .IfNot(write_fault, "young")
            .IfNot(pte_write, "wp", Orig)
            .Label("young")
            // Spurious fault: another CPU already fixed the PTE; update accessed/dirty in place.
            .Step(pte_mkyoung)
            .Step(ptep_set_access_flags)
            .Label("unlock")
            .Step(pte_unmap_unlock)
            .Return()
            .Label("anonymous")
            .Call(do_anonymous_page)
            .Return()
            .Label("wp")
            .Call(do_wp_page)
            .Return()
            .Label("swap")
            .CallIfNot(do_swap_page, "retry")
            .Return()
            .Label("retry")
            .ReturnFailure()
            .Build();

    /// <summary>
    /// mm/memory.c: do_anonymous_page() (v4.14). Reads map the zero page read-only; writes allocate
    /// a zeroed page, take the PTL and recheck pte_none() ("if (!pte_none(*vmf->pte)) goto release;")
    /// before setting the PTE. No flush: the PTE was not present before.
    /// </summary>
    internal static RecipeDraft DoAnonymousPage() =>
        new RecipeBuilder(do_anonymous_page, "mm/memory.c: do_anonymous_page() (v4.14)")
            .If(write_fault, "alloc")
            .Step(my_zero_pfn)
            .Step(pte_offset_map_lock)
            .IfNot(pte_none, "unlock")
            .Goto("setpte")
            .Label("alloc")
            .Step(alloc_zeroed_user_highpage_movable)
            .Step(mk_pte)
            .Step(pte_mkdirty)
            .Step(maybe_mkwrite)
            .Step(pte_offset_map_lock)
            .IfNot(pte_none, "release")
            .Step(page_add_new_anon_rmap)
            .Label("setpte")
            .Step(set_pte_at)
            .Label("unlock")
            .Step(pte_unmap_unlock)
            .Return()
            .Label("release")
            .Step(put_page, NewPage)
            .Goto("unlock")
            .Build();

    /// <summary>
    /// mm/memory.c: do_wp_page() (v4.14, memory.c:2685-2755), entered with the PTL held. The zero page
    /// and KSM pages are always copied. An anonymous page is reused in place only under its page lock
    /// and only when reuse_swap_page() says nobody else maps it or its swap slot (mapcount + swap
    /// count, memory.c:2727); if trylock_page() fails, the PTL is dropped to sleep on the page lock and
    /// the PTE is rechecked with pte_same() afterwards (memory.c:2713-2725). v4.14 looks at no
    /// reference count: kernels/fixes/09854ba94c6a-do-wp-page-page-count.kernel adds v5.9's.
    /// </summary>
    internal static RecipeDraft DoWpPage() =>
        new RecipeBuilder(do_wp_page, "mm/memory.c: do_wp_page() (v4.14)")
            .IfNot(vm_normal_page, "copy_unlocked", Orig)
            .If(PageKsm, "copy")
            .IfNot(trylock_page, "slow_lock")
            .Label("reuse_check")
            // Under the page lock, so that reuse_swap_page() reads a stable PageSwapCache.
            .IfNot(reuse_swap_page, "no_reuse")
            .Step(unlock_page)
            .Call(wp_page_reuse)
            .Return()
            .Label("no_reuse")
            .Step(unlock_page)
            .Label("copy")
            // Otherwise the old page could be freed while wp_page_copy() copies it.
            .Step(get_page, Page)
            .Label("copy_unlocked")
            .Step(pte_unmap_unlock)
            .Call(wp_page_copy)
            .Return()
            .Label("slow_lock")
            .Step(get_page, Page)
            .Step(pte_unmap_unlock)
            .Step(lock_page)
            .Step(pte_offset_map_lock)
            // Otherwise the page may have been unmapped or replaced while we slept on its lock.
            .IfNot(pte_same, "slow_abort")
            .Step(put_page, Page)
            .Goto("reuse_check")
            .Label("slow_abort")
            .Step(unlock_page)
            .Step(pte_unmap_unlock)
            .Step(put_page, Page)
            .Return()
            .Build();

    /// <summary>
    /// mm/memory.c: wp_page_reuse() (v4.14): make the PTE writable in place. No flush is needed: the
    /// change only adds permission, and a CPU still holding the read-only entry takes a spurious fault.
    /// </summary>
    internal static RecipeDraft WpPageReuse() =>
        new RecipeBuilder(wp_page_reuse, "mm/memory.c: wp_page_reuse() (v4.14)")
            .Step(pte_mkyoung)
            .Step(pte_mkdirty)
            .Step(maybe_mkwrite)
            .Step(ptep_set_access_flags)
            .Step(pte_unmap_unlock)
            .Build();

    /// <summary>
    /// mm/memory.c: wp_page_copy() (v4.14). The copy is made before taking the PTL; under the PTL the
    /// PTE is rechecked, then ptep_clear_flush_notify() (clear, flush CPU TLBs, ->invalidate_range)
    /// runs before set_pte_at_notify() points the PTE at the new page ("clear pte, invalidate IOMMU/
    /// device TLB, set new pte", as the thread puts it). The old page's mapcount drops only after the
    /// switch, and its last references after invalidate_range_end.
    /// </summary>
    internal static RecipeDraft WpPageCopy() =>
        new RecipeBuilder(wp_page_copy, "mm/memory.c: wp_page_copy() (v4.14)")
            .If(is_zero_pfn, "zero", Orig)
            .Step(alloc_page_vma)
            .Step(cow_user_page)
            .Goto("allocated")
            .Label("zero")
            .Step(alloc_zeroed_user_highpage_movable)
            .Label("allocated")
            .Step(mmu_notifier_invalidate_range_start)
            .Step(pte_offset_map_lock)
            .IfNot(pte_same, "cancel")
            .Step(mk_pte)
            .Step(pte_mkdirty)
            .Step(maybe_mkwrite)
            // ptep_clear_flush_notify():
            .Step(ptep_get_and_clear)
            .Step(flush_tlb_page)
            .Step(mmu_notifier_invalidate_range)
            .Step(page_add_new_anon_rmap)
            // set_pte_at_notify(): change_pte is called before the PTE is written.
            .Step(mmu_notifier_change_pte)
            .Step(set_pte_at)
            .Step(page_remove_rmap, Page)
            // "new_page = old_page; ... put_page(new_page)": the page table's reference to the old page.
            .Step(put_page, Page)
            .Goto("unlock")
            .Label("cancel")
            .Step(put_page, NewPage)
            .Label("unlock")
            .Step(pte_unmap_unlock)
            .Step(mmu_notifier_invalidate_range_end)
            // The reference do_wp_page() took with get_page().
            .Step(put_page, Page)
            .Build();

    /// <summary>
    /// mm/memory.c: zap_page_range() (v4.14, memory.c:1595-1622). tlb_gather_mmu() raises
    /// mm->tlb_flush_pending so that a concurrent zapper can tell a flush is still owed
    /// (mm_tlb_flush_nested in tlb_finish_mmu). After the PTEs are cleared, v4.14 flushes the range
    /// at once (memory.c:1609-1617, 4647706ebeee, merged for v4.14-rc1): "ensure that no stale TLB
    /// entries exist when this call returns", whatever another zapper deferred. That flush and the
    /// nested check each close seed (a); 50c150f26261 (v4.19) removed this one as redundant.
    /// mmu_notifier_invalidate_range_end() then invalidates the secondary TLBs of the whole range
    /// (in v4.14 it calls ->invalidate_range, mm/mmu_notifier.c:192-214), before tlb_finish_mmu()
    /// frees the gathered pages.
    /// </summary>
    internal static RecipeDraft ZapPageRange() =>
        new RecipeBuilder(zap_page_range, "mm/memory.c: zap_page_range() (v4.14)")
            .Step(tlb_gather_mmu)
            .Step(mmu_notifier_invalidate_range_start, WholeRange)
            // unmap_single_vma() -> unmap_page_range() -> zap_pmd_range(): one PTE page at a time.
            .ForEachTable("pmd")
            .Call(zap_pte_range)
            .NextTable("pmd")
            // Otherwise a zapper that found every PTE already clear returns while another CPU's TLB
            // still maps the page another zapper cleared and has not flushed yet (seed a).
            .Step(flush_tlb_range, WholeRange)
            .Step(mmu_notifier_invalidate_range_end, WholeRange)
            .Call(tlb_finish_mmu)
            .Build();

    /// <summary>
    /// mm/memory.c: zap_pte_range() (v4.14, memory.c:1278-1406), for the part of the range one PTE
    /// page maps, under that page's split PTL: honour a flush reclaim deferred
    /// (flush_tlb_batched_pending, 3ea277194daa), then per PTE clear it, record the address for the
    /// flush, drop the mapcount and queue the page in the gather; pages are freed only after the
    /// flush, in tlb_finish_mmu. A pte_none() entry is skipped: nothing to flush for it here. Swap and
    /// migration entries are cleared with their slot reference (no translation can cache them).
    /// When the gather's batch is full (its next batch cannot be allocated), the TLBs are flushed
    /// under the PTL, the lock dropped, the gathered pages freed, and the rest of the range zapped
    /// again from "again:" (memory.c:1336-1340, 1387-1403): the one place a zap frees pages before
    /// mmu_notifier_invalidate_range_end(), so tlb_flush_mmu_tlbonly()'s ->invalidate_range matters.
    /// </summary>
    internal static RecipeDraft ZapPteRange() =>
        new RecipeBuilder(zap_pte_range, "mm/memory.c: zap_pte_range() (v4.14)")
            .Label("again")
            .Step(pte_offset_map_lock)
            // Otherwise a PTE reclaim cleared with its flush deferred looks like nothing to flush.
            .Call(flush_tlb_batched_pending)
            .ForEachPage("pte")
            .If(pte_none, "next")
            .IfNot(pte_present, "nonpresent")
            .Step(vm_normal_page)
            .Step(ptep_get_and_clear_full)
            .Step(tlb_remove_tlb_entry)
            .Step(page_remove_rmap, Page)
            .If(__tlb_remove_page, "force_flush", Page)
            .Goto("next")
            // Swap and migration entries: "free_swap_and_cache(entry); pte_clear_not_present_full(...)".
            .Label("nonpresent")
            .Step(free_swap_and_cache)
            .Step(pte_clear_not_present_full)
            .Label("next")
            .NextPage("pte")
            .Step(pte_unmap_unlock)
            .Return()
            .Label("force_flush")
            // Under the PTL, so that nobody sees the cleared PTEs and acts on them before the flush.
            .Call(tlb_flush_mmu_tlbonly)
            .Step(pte_unmap_unlock)
            .Step(tlb_flush_mmu_free)
            .If(addr_not_end, "again")
            .Build();

    /// <summary>
    /// mm/memory.c: tlb_finish_mmu() -> arch_tlb_finish_mmu() (v4.14, memory.c:276-294, 415-429, with
    /// 99baac21e458 / 56236a59556c): if another thread batches flushes for this mm
    /// (mm_tlb_flush_nested, read before the flush), flush the whole range even if this thread cleared
    /// nothing; then tlb_flush_mmu(); then the pending count drops.
    /// </summary>
    internal static RecipeDraft TlbFinishMmu() =>
        new RecipeBuilder(tlb_finish_mmu, "mm/memory.c: tlb_finish_mmu() (v4.14)")
            // Otherwise a zapper that found the PTEs already clear flushes nothing (seed a).
            .Step(mm_tlb_flush_nested)
            .Call(tlb_flush_mmu)
            .Step(dec_tlb_flush_pending)
            .Build();

    /// <summary>mm/memory.c: tlb_flush_mmu() (v4.14, memory.c:266-270): the flush, then the free.</summary>
    internal static RecipeDraft TlbFlushMmu() =>
        new RecipeBuilder(tlb_flush_mmu, "mm/memory.c: tlb_flush_mmu() (v4.14)")
            .Call(tlb_flush_mmu_tlbonly)
            // Only after the flush: otherwise a CPU or the device uses a freed (and reused) page.
            .Step(tlb_flush_mmu_free)
            .Build();

    /// <summary>
    /// mm/memory.c: tlb_flush_mmu_tlbonly() (v4.14, memory.c:242-253): nothing if the gather recorded
    /// nothing ("if (!tlb->end) return;"); else the CPU flush of the gathered range and, in v4.14,
    /// mmu_notifier_invalidate_range() for the secondary TLBs; then the range is reset.
    /// </summary>
    internal static RecipeDraft TlbFlushMmuTlbonly() =>
        new RecipeBuilder(tlb_flush_mmu_tlbonly, "mm/memory.c: tlb_flush_mmu_tlbonly() (v4.14)")
            .IfNot(tlb_end, "out")
            .Step(tlb_flush)
            .Step(mmu_notifier_invalidate_range, Gather)
            .Step(__tlb_reset_range)
            .Label("out")
            .Build();

    /// <summary>mm/memory.c: copy_page_range() (v4.14, memory.c:1211-1276): is_cow_mapping, so the range is bracketed by notifier calls.</summary>
    internal static RecipeDraft CopyPageRange() =>
        new RecipeBuilder(copy_page_range, "mm/memory.c: copy_page_range() (v4.14)")
            .Step(mmu_notifier_invalidate_range_start, WholeRange)
            // copy_pud_range() -> copy_pmd_range(): one PTE page at a time.
            .ForEachTable("pmd")
            .Call(copy_pte_range)
            .NextTable("pmd")
            .Step(mmu_notifier_invalidate_range_end, WholeRange)
            .Build();

    /// <summary>
    /// mm/memory.c: copy_pte_range() -> copy_one_pte() (v4.14): "if (is_cow_mapping(vm_flags) &amp;&amp;
    /// pte_write(pte)) { ptep_set_wrprotect(src_mm, addr, src_pte); pte = pte_wrprotect(pte); }",
    /// then get_page + page_dup_rmap and the child's set_pte_at. The child's entry is always
    /// read-only and old (pte_mkold here includes the local pte_wrprotect), so removing
    /// ptep_set_wrprotect leaves only the parent writable, as it would in the kernel.
    /// </summary>
    internal static RecipeDraft CopyPteRange() =>
        new RecipeBuilder(copy_pte_range, "mm/memory.c: copy_pte_range() / copy_one_pte() (v4.14)")
            .Step(pte_alloc_map_lock, Child)
            .Step(spin_lock_nested)
            .ForEachPage("pte")
            .If(pte_none, "next")
            .IfNot(pte_present, "nonpresent")
            .IfNot(pte_write, "shared")
            .Step(ptep_set_wrprotect)
            .Label("shared")
            .Step(pte_mkold)
            .IfNot(vm_normal_page, "set")
            .Step(get_page, Page)
            .Step(page_dup_rmap, Page)
            .Label("set")
            .Step(set_pte_at, Child)
            .Goto("next")
            // Swap entries are shared by both sides (swap_duplicate); a write migration entry is
            // made a read one in the parent, so both sides fault to CoW once the page is back.
            .Label("nonpresent")
            .Step(swap_duplicate)
            .Step(make_migration_entry_read)
            .Step(pte_mkold)
            .Step(set_pte_at, Child)
            .Label("next")
            .NextPage("pte")
            .Step(spin_unlock)
            .Step(pte_unmap_unlock, Child)
            .Build();

    /// <summary>
    /// mm/memory.c: do_swap_page() (v4.14, memory.c:2842-3044), entered from handle_pte_fault() for
    /// a non-present PTE. A migration entry waits for the migration instead. Otherwise the page comes
    /// from the swap cache or is read in (read_swap_cache_async; with a bio the read is still in
    /// flight and the page locked). lock_page_or_retry() (memory.c:2924, pagemap.h:502-507,
    /// filemap.c:1197-1227): a user fault's first try, finding the page locked, drops mmap_sem,
    /// waits for the unlock and returns VM_FAULT_RETRY (returns false here), and __do_page_fault
    /// retries without FAULT_FLAG_ALLOW_RETRY; any other fault (the IOMMU driver's, KSM's) sleeps on
    /// the page lock holding mmap_sem. Under the page lock it must still be the slot's cache page
    /// ("Make sure try_to_free_swap or reuse_swap_page or swapoff did not release the swapcache from
    /// under us", memory.c:2938), under the PTL the PTE must still be the swap entry (pte_same) and
    /// the read must have completed (PageUptodate). A write fault takes the page writable at once
    /// when reuse_swap_page() counts one user (which also takes the page out of the swap cache and
    /// dirties it) and then no longer counts as a write fault (memory.c:2979-2985). Otherwise, still
    /// under the PTL, the read-only PTE just installed is handed to do_wp_page() (memory.c:3019-3024),
    /// which reuses or copies it.
    /// </summary>
    internal static RecipeDraft DoSwapPage() =>
        new RecipeBuilder(do_swap_page, "mm/memory.c: do_swap_page() (v4.14)")
            .If(is_migration_entry, "migration", Orig)
            .If(lookup_swap_cache, "found")
            .CallIfNot(read_swap_cache_async, "out")
            .Label("found")
            // lock_page_or_retry(): trylock_page() || __lock_page_or_retry().
            .If(trylock_page, "locked")
            .IfNot(FAULT_FLAG_ALLOW_RETRY, "lock")
            // Otherwise a fault sleeping on a page whose read is in flight (or which reclaim holds)
            // keeps mmap_sem, and a writer of mmap_sem (fork) waits behind the I/O.
            .Step(up_read_mmap_sem)
            .Step(wait_on_page_locked)
            // out_release: "put_page(page); ... return ret;" with VM_FAULT_RETRY.
            .Step(put_page, Page)
            .ReturnFailure()
            .Label("lock")
            .Step(lock_page)
            .Label("locked")
            .IfNot(PageSwapCache, "out_page")
            .Step(pte_offset_map_lock)
            // Otherwise two faults on the same swap entry would both map the page.
            .IfNot(pte_same, "out_nomap")
            // Otherwise (a read error) the page would be mapped without its data.
            .IfNot(PageUptodate, "out_nomap")
            .Step(mk_pte, Page)
            .IfNot(write_fault, "setpte")
            .IfNot(reuse_swap_page, "setpte")
            .Step(pte_mkdirty)
            .Step(maybe_mkwrite)
            .Step(clear_fault_flag_write)
            .Label("setpte")
            .Step(set_pte_at)
            .Step(page_add_anon_rmap, Page)
            .Step(swap_free)
            .Step(unlock_page)
            // "vmf->orig_pte = pte" (memory.c:2990), kept here after swap_free(entry), which the
            // model reads from orig_pte: nothing can change the PTE in between, the PTL is held.
            .Step(orig_pte_snapshot)
            .If(write_fault, "wp")
            .Step(pte_unmap_unlock)
            .Return()
            .Label("wp")
            .Call(do_wp_page)
            .Return()
            .Label("out_nomap")
            .Step(pte_unmap_unlock)
            .Label("out_page")
            .Step(unlock_page)
            .Step(put_page, Page)
            .Label("out")
            .Return()
            .Label("migration")
            .Call(migration_entry_wait)
            .Build();
}
