using Fuzz.Model.Machine;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// Dispatch from a step to its implementation. Each implementation is one atomic action on the
/// machine, written against the kernel function it is named after (see the files beside this one).
/// </summary>
internal static partial class Steps
{
    /// <summary>Whether the step can run now (locks free, waited-for condition true).</summary>
    public static bool CanRun(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        switch (ins.Step)
        {
            case StepId.down_read_mmap_sem:
                return s.M.MmStates[a.Ctx.Mm].MmapWriter == 0;
            case StepId.down_write_mmap_sem:
                int wmm = MmOf(ref a, ins.Operand);
                return s.M.MmStates[wmm].MmapWriter == 0 && s.M.MmStates[wmm].MmapReaders == 0;
            case StepId.pte_offset_map_lock:
            case StepId.pte_alloc_map_lock:
            case StepId.spin_lock:
            case StepId.spin_lock_nested:
                return s.M.MmStates[MmOf(ref a, ins.Operand)].PtlOwner == 0;
            case StepId.lock_page:
            case StepId.wait_on_page_locked:
                int locked = PageOf(ref a, ins.Operand);
                return locked < 0 || s.M.Frames[locked].LockedBy == 0;
            case StepId.pri_wait_response:
                return s.M.PriResponded;
            default:
                return true;
        }
    }

    /// <summary>Run the step; the answer matters for checks (and says "did something" otherwise).</summary>
    public static bool Run(Simulator s, int ai, in Instr ins)
    {
        switch (ins.Step)
        {
            case StepId.mmu_access: return MmuAccess(s, ai);
            case StepId.dma_access: return DmaAccess(s, ai);
            case StepId.ats_translate: return AtsTranslate(s, ai);
            case StepId.pri_page_request: return PriPageRequest(s, ai);
            case StepId.pri_wait_response: return PriWaitResponse(s);
            case StepId.finish_pri_tag: return FinishPriTag(s);

            case StepId.down_read_mmap_sem: return DownRead(s, ai);
            case StepId.up_read_mmap_sem: return UpRead(s, ai);
            case StepId.down_write_mmap_sem: return DownWrite(s, ai, ins.Operand);
            case StepId.up_write_mmap_sem: return UpWrite(s, ai, ins.Operand);
            case StepId.pte_offset_map_lock:
            case StepId.pte_alloc_map_lock:
            case StepId.spin_lock:
            case StepId.spin_lock_nested: return PtlLock(s, ai, ins.Operand);
            case StepId.pte_unmap_unlock:
            case StepId.spin_unlock: return PtlUnlock(s, ai, ins.Operand);
            case StepId.lock_page: return LockPage(s, ai, ins.Operand);
            case StepId.trylock_page: return TrylockPage(s, ai, ins.Operand);
            case StepId.unlock_page: return UnlockPage(s, ai, ins.Operand);

            case StepId.read_orig_pte: return ReadOrigPte(s, ai);
            case StepId.pte_none: return PteNone(s, ai, ins.Operand);
            case StepId.pte_present: return PteOperand(s, ai, ins.Operand).IsPresent;
            case StepId.pte_write: return PteOperand(s, ai, ins.Operand).Writable;
            case StepId.pte_same: return PteSame(s, ai);
            case StepId.write_fault: return s.Agents[ai].Ctx.Write;
            case StepId.vm_normal_page: return VmNormalPage(s, ai, ins.Operand);
            case StepId.is_zero_pfn: return IsZeroPfn(s, ai, ins.Operand);
            case StepId.PageKsm: return PageKsm(s, ai);
            case StepId.reuse_swap_page: return ReuseSwapPage(s, ai);
            case StepId.page_count: return PageCountIsOne(s, ai, ins.Operand);

            case StepId.mk_pte: return MkPte(s, ai, ins.Operand);
            case StepId.pte_mkdirty: return PteMkdirty(s, ai);
            case StepId.my_zero_pfn: return MyZeroPfn(s, ai);
            case StepId.maybe_mkwrite: return MaybeMkwrite(s, ai);
            case StepId.pte_mkyoung: return PteMkyoung(s, ai);
            case StepId.pte_mkold: return PteMkold(s, ai);

            case StepId.alloc_zeroed_user_highpage_movable: return AllocPage(s, ai, zeroed: true);
            case StepId.alloc_page_vma: return AllocPage(s, ai, zeroed: false);
            case StepId.cow_user_page: return CowUserPage(s, ai);
            case StepId.get_page: return GetPage(s, ai, ins.Operand);
            case StepId.put_page: return ins.Operand == Operand.Pin ? Unpin(s, ai) : PutPage(s, ai, PageOf(ref s.Agents[ai], ins.Operand));
            case StepId.page_add_new_anon_rmap: return PageAddNewAnonRmap(s, ai);
            case StepId.page_dup_rmap: return PageDupRmap(s, ai, ins.Operand);
            case StepId.page_remove_rmap: return PageRemoveRmap(s, ai, ins.Operand);

            case StepId.set_pte_at: return SetPteAt(s, ai, ins.Operand);
            case StepId.ptep_set_access_flags: return PtepSetAccessFlags(s, ai);
            case StepId.ptep_get_and_clear:
            case StepId.ptep_get_and_clear_full: return PtepGetAndClear(s, ai);
            case StepId.ptep_set_wrprotect: return PtepSetWrprotect(s, ai);

            case StepId.flush_tlb_page: return FlushTlbPage(s, ai);
            case StepId.flush_tlb_mm: return FlushTlbMm(s, ai);
            case StepId.flush_tlb_batched_pending: return FlushTlbBatchedPending(s, ai);

            case StepId.tlb_gather_mmu: return TlbGatherMmu(s, ai);
            case StepId.tlb_remove_tlb_entry: return TlbRemoveTlbEntry(s, ai);
            case StepId.__tlb_remove_page: return TlbRemovePage(s, ai, ins.Operand);
            case StepId.mm_tlb_flush_nested: return MmTlbFlushNested(s, ai);
            case StepId.tlb_flush: return TlbFlush(s, ai);
            case StepId.tlb_flush_mmu_free: return TlbFlushMmuFree(s, ai);
            case StepId.dec_tlb_flush_pending: return DecTlbFlushPending(s, ai);

            case StepId.mmu_notifier_invalidate_range_start: return NotifierStart(s, ai, ins.Operand);
            case StepId.mmu_notifier_invalidate_range: return NotifierInvalidateRange(s, ai, ins.Operand);
            case StepId.mmu_notifier_invalidate_range_end: return NotifierEnd(s, ai, ins.Operand);
            case StepId.mmu_notifier_change_pte: return NotifierChangePte(s, ai);

            case StepId.dup_mm: return DupMm(s, ai);
            case StepId.wake_up_new_task: return WakeUpNewTask(s, ai);

            case StepId.pte_mkclean: return PteMkclean(s, ai);
            case StepId.swp_entry_to_pte: return SwpEntryToPte(s, ai);
            case StepId.make_migration_entry: return MakeMigrationEntry(s, ai);
            case StepId.orig_pte_snapshot: return OrigPteSnapshot(s, ai);
            case StepId.tree_page: return TreePageArgs(s, ai);
            case StepId.migrate_target: return MigrateTarget(s, ai);

            case StepId.check_pte: return CheckPte(s, ai, ins.Operand);
            case StepId.is_migration_entry: return IsMigrationEntry(s, ai, ins.Operand);
            case StepId.is_write_migration_entry: return s.M.PteAt(s.Agents[ai].Ctx.Mm, s.Agents[ai].Ctx.Va) is { Kind: PteKind.Migration, Writable: true };
            case StepId.pte_dirty: return (ins.Operand == Operand.PteVal ? s.Agents[ai].Ctx.PteVal : PteOperand(s, ai, ins.Operand)).Dirty;
            case StepId.mm_tlb_flush_pending: return MmTlbFlushPending(s, ai);
            case StepId.page_pinned: return PagePinned(s, ai);
            case StepId.page_maybe_dma_pinned: return PageMaybeDmaPinned(s, ai);
            case StepId.kpage: return s.Agents[ai].Ctx.KPfn >= 0;
            case StepId.pages_identical: return PagesIdentical(s, ai, ins.Operand);
            case StepId.page_mapped: return PageMapped(s, ai);
            case StepId.PageSwapCache: return PageSwapCacheCheck(s, ai);
            case StepId.PageDirty: return PageDirtyCheck(s, ai);
            case StepId.should_defer_flush: return ShouldDeferFlush(s, ai);
            case StepId.TTU_MIGRATION: return s.Agents[ai].CurOp >= 0 && s.Ops[s.Agents[ai].CurOp].Kind == OpKind.Migrate;

            case StepId.follow_page: return FollowPage(s, ai, ins.Operand);
            case StepId.isolate_lru_page: return IsolateLruPage(s, ai);
            case StepId.putback_lru_page: return PutbackLruPage(s, ai, ins.Operand);
            case StepId.page_add_anon_rmap: return PageAddAnonRmap(s, ai, ins.Operand);
            case StepId.set_page_stable_node: return SetPageStableNode(s, ai);
            case StepId.set_page_dirty: return SetPageDirty(s, ai);
            case StepId.add_to_swap: return AddToSwap(s, ai);
            case StepId.swap_duplicate: return SwapDuplicate(s, ai, ins.Operand);
            case StepId.swap_free: return SwapFree(s, ai, ins.Operand);
            case StepId.free_swap_and_cache: return FreeSwapAndCache(s, ai);
            case StepId.try_to_free_swap: return TryToFreeSwap(s, ai);
            case StepId.lookup_swap_cache: return LookupSwapCache(s, ai);
            case StepId.read_swap_cache_async: return ReadSwapCacheAsync(s, ai);
            case StepId.pageout: return Pageout(s, ai);
            case StepId.__remove_mapping: return RemoveMapping(s, ai);
            case StepId.free_hot_cold_page_list: return FreeHotColdPageList(s, ai);
            case StepId.migrate_page_move_mapping: return MigratePageMoveMapping(s, ai);
            case StepId.migrate_page_copy: return MigratePageCopy(s, ai);
            case StepId.get_page_unless_zero: return GetPageUnlessZero(s, ai);
            case StepId.wait_on_page_locked: return true;
            case StepId.get_user_pages_fast: return GetUserPagesFast(s, ai);
            case StepId.submit_bio: return SubmitBio(s, ai);

            case StepId.pte_clear_not_present_full: return PteClearNotPresent(s, ai);
            case StepId.make_migration_entry_read: return MakeMigrationEntryRead(s, ai);

            case StepId.set_tlb_ubc_flush_pending: return SetTlbUbcFlushPending(s, ai);
            case StepId.try_to_unmap_flush_dirty: return TryToUnmapFlush(s, ai, dirtyOnly: true);
            case StepId.try_to_unmap_flush: return TryToUnmapFlush(s, ai, dirtyOnly: false);
            default:
                throw new InvalidOperationException($"step {ins.Step} has no implementation");
        }
    }

    /// <summary>The mm a step acts on: the operation's, or for <see cref="Operand.Child"/> fork's child.</summary>
    internal static int MmOf(ref AgentState a, Operand operand) =>
        operand == Operand.Child ? a.Ctx.ChildMm : a.Ctx.Mm;

    /// <summary>The frame a page step acts on, by role: vmf->page (default), new_page, tree_page, kpage, ...</summary>
    internal static int PageOf(ref AgentState a, Operand operand) => operand switch
    {
        Operand.NewPage => a.Ctx.NewPfn,
        Operand.Tree => a.Ctx.TreePfn,
        Operand.KPage => a.Ctx.KPfn,
        Operand.Target => a.Ctx.TargetPfn,
        Operand.Pin => a.Ctx.PinPfn,
        _ => a.Ctx.OldPfn,
    };
}
