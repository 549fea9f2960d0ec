using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>Steps of the rmap users: KSM, reclaim's try_to_unmap, migration.</summary>
internal static partial class Steps
{
    /// <summary>page_vma_mapped_walk()'s check_pte(): under the PTL, the PTE maps the page (or holds its migration entry).</summary>
    [Step(StepCategory.Check, "page_vma_mapped_walk(): under the PTL, the PTE still maps the page", Local = true, Predicate = true)]
    internal static bool check_pte(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte pte = ref s.M.PteAt(c.Mm, c.Va);
        PteKind want = ins.Operand == Operand.Migration ? PteKind.Migration : PteKind.Present;
        return c.OldPfn >= 0 && pte.Kind == want && pte.Pfn == c.OldPfn;
    }

    /// <summary>is_migration_entry() of orig_pte, or of *pte under the PTL (migration_entry_wait); sets the page.</summary>
    [Step(StepCategory.Check, "is_migration_entry(pte_to_swp_entry(pte))", Local = true)]
    internal static bool is_migration_entry(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        Pte pte = ins.Operand == Operand.Orig ? c.OrigPte : s.M.PteAt(c.Mm, c.Va);
        if (pte.Kind != PteKind.Migration) return false;
        c.OldPfn = pte.Pfn;
        s.Trace.Last.Pfn = pte.Pfn;
        return true;
    }

    [Step(StepCategory.Check, "mm_tlb_flush_pending(mm): someone cleared PTEs of this mm and has not flushed yet (16af97dc5a89)", Predicate = true)]
    internal static bool mm_tlb_flush_pending(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Trace.Last.Value = s.M.MmStates[c.Mm].TlbFlushPending;
        return s.M.MmStates[c.Mm].TlbFlushPending > 0;
    }

    /// <summary>
    /// write_protect_page(): "if (page_mapcount(page) + 1 + swapped != page_count(page))": a reference
    /// beyond the mappings, KSM's own and the swap cache's is O_DIRECT or GUP at work. Checked after
    /// the clear and flush, so that no new get_user_pages_fast() can pin the page during the check.
    /// </summary>
    [Step(StepCategory.Check, "page_mapcount(page) + 1 + swapped != page_count(page): O_DIRECT or GUP holds the page", Predicate = true)]
    internal static bool page_pinned(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0) return false;
        ref Frame f = ref s.M.Frames[c.OldPfn];
        int expected = f.MapCount + 1 + (f.InSwapCache ? 1 : 0);
        s.Trace.Last.Pfn = (short)c.OldPfn;
        s.Trace.Last.Value = f.RefCount;
        s.Trace.Last.Detail = expected;
        return f.RefCount != expected;
    }

    /// <summary>
    /// pages_identical(page, kpage): memcmp of the data. With kpage, it is the comparison the merge
    /// rests on: a write into page after it is lost when page is replaced by kpage (lost-write).
    /// </summary>
    [Step(StepCategory.Check, "pages_identical(page, kpage): memcmp of the two pages' data")]
    internal static bool pages_identical(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int other = ins.Operand == Operand.Tree ? c.TreePfn : c.KPfn;
        if (c.OldPfn < 0 || other < 0) return false;
        AccessOracle.KernelRead(s, ai, c.OldPfn);
        AccessOracle.KernelRead(s, ai, other);
        s.Trace.Last.Pfn = (short)c.OldPfn;
        s.Trace.Last.Value = other;
        bool same = s.M.Frames[c.OldPfn].Content == s.M.Frames[other].Content;
        if (same && ins.Operand != Operand.Tree)
        {
            c.CopySrc = c.OldPfn;
            c.CopySeq = s.M.Frames[c.OldPfn].WriteSeq;
            c.CopyDst = other;
        }
        return same;
    }

    [Step(StepCategory.Check, "page_mapped(page): some PTE still maps it", Predicate = true)]
    internal static bool page_mapped(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        if (pfn < 0) return false;
        s.Trace.Last.Pfn = (short)pfn;
        s.Trace.Last.Value = s.M.Frames[pfn].MapCount;
        return s.M.Frames[pfn].MapCount > 0;
    }

    /// <summary>
    /// should_defer_flush(): reclaim passes TTU_BATCH_FLUSH, and defers when a CPU other than its own
    /// runs the mm (kswapd is not one of the modelled CPUs, so any CPU in the mm counts).
    /// </summary>
    [Step(StepCategory.Check, "should_defer_flush(): TTU_BATCH_FLUSH and other CPUs run the mm (knob batched_reclaim)", Local = true, Predicate = true)]
    internal static bool should_defer_flush(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        if (!s.Kernel.Knobs.BatchedReclaim || a.CurOp < 0 || s.Ops[a.CurOp].Kind != OpKind.SwapOut) return false;
        for (int cpu = 0; cpu < s.M.Cpus; cpu++)
        {
            if (s.Agents[cpu].Mm == a.Ctx.Mm) return true;
        }
        return false;
    }

    /// <summary>
    /// follow_page(vma, addr, FOLL_GET) -> follow_page_pte() (mm/gup.c:86): under the PTL of the
    /// address, the anonymous page mapped there, with a reference. One step that waits for the PTL,
    /// as the kernel's lock, read and unlock do. Operand tree_page: KSM's second page; break_page:
    /// break_ksm()'s page. ksmd never merges a page with itself.
    /// </summary>
    [Step(StepCategory.Page, "follow_page(vma, addr, FOLL_GET): under the PTL, the anonymous page mapped there, with a reference", Ready = nameof(FollowedPtlFree))]
    internal static bool follow_page(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        bool tree = ins.Operand == Operand.Tree;
        int mm = tree ? c.Mm2 : c.Mm, va = tree ? c.Va2 : c.Va;
        ref Pte pte = ref s.M.PteAt(mm, va);
        s.Trace.Last.Mm = (sbyte)mm;
        s.Trace.Last.Va = (sbyte)va;
        if (!s.M.MmStates[mm].Exists || !pte.IsPresent || pte.Pfn == Limits.ZeroPfn) return false;
        if (tree && c.OldPfn == pte.Pfn) return false;
        s.M.Frames[pte.Pfn].RefCount++;
        if (tree) c.TreePfn = pte.Pfn;
        else if (ins.Operand == Operand.BreakPage) c.BreakPfn = pte.Pfn;
        else c.OldPfn = pte.Pfn;
        s.Trace.Last.Pfn = pte.Pfn;
        return true;
    }

    private static bool FollowedPtlFree(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        bool tree = ins.Operand == Operand.Tree;
        return s.M.Ptl(tree ? c.Mm2 : c.Mm, tree ? c.Va2 : c.Va) == 0;
    }

    /// <summary>
    /// isolate_lru_page() for the page behind the address: the page mapped there, or, behind a swap
    /// entry, the slot's swap cache page, which stays on the LRU after an earlier pass left it there
    /// (under writeback, or activated): the model's stand-in for the LRU scan finding that page.
    /// Reclaim and migration hold a reference from here on, and a page off the LRU cannot be
    /// isolated twice.
    /// </summary>
    [Step(StepCategory.Page, "isolate_lru_page() / __isolate_lru_page() (vmscan.c:1451, get_page_unless_zero): the page behind the address (mapped there, or its swap entry's swap cache page) leaves the LRU, with a reference")]
    internal static bool isolate_lru_page(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (!s.M.MmStates[c.Mm].Exists) return false;
        ref Pte pte = ref s.M.PteAt(c.Mm, c.Va);
        int pfn = pte.IsPresent ? pte.Pfn : pte.Kind == PteKind.Swap ? s.M.SwapCacheFrame[pte.Slot] : -1;
        if (pfn < 0 || pfn == Limits.ZeroPfn) return false;
        ref Frame f = ref s.M.Frames[pfn];
        s.Trace.Last.Pfn = (short)pfn;
        if ((f.Flags & FrameFlags.Isolated) != 0) return false;
        f.Flags |= FrameFlags.Isolated;
        f.RefCount++;
        c.OldPfn = pfn;
        return true;
    }

    /// <summary>putback_lru_page(): back on the LRU, dropping the isolation reference.</summary>
    [Step(StepCategory.Page, "putback_lru_page(): back on the LRU, the isolation reference dropped")]
    internal static bool putback_lru_page(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        if (pfn < 0) return false;
        s.M.Frames[pfn].Flags &= ~FrameFlags.Isolated;
        return PutPage(s, ai, pfn);
    }

    [Step(StepCategory.Page, "mapcount++ for a page that others may already map")]
    internal static bool page_add_anon_rmap(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0 || s.M.Frames[pfn].IsZero) return false;
        s.M.Frames[pfn].MapCount++;
        s.Trace.Last.Value = s.M.Frames[pfn].MapCount;
        return true;
    }

    [Step(StepCategory.Page, "the page becomes a KSM page (PageKsm): shared read-only, never reused in place")]
    internal static bool set_page_stable_node(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].Flags |= FrameFlags.Ksm;
        s.Trace.Last.Pfn = (short)pfn;
        return true;
    }

    /// <summary>
    /// migrate_page_move_mapping(): "if (page_count(page) != expected_count) return -EAGAIN;" with
    /// expected = the isolation reference, plus the swap cache's (whose entry then moves to newpage).
    /// </summary>
    [Step(StepCategory.Check, "migrate_page_move_mapping(): page_count(page) == expected_count, else -EAGAIN")]
    internal static bool migrate_page_move_mapping(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0 || c.NewPfn < 0) return false;
        ref Frame old = ref s.M.Frames[c.OldPfn];
        int expected = 1 + (old.InSwapCache ? 1 : 0);
        s.Trace.Last.Pfn = (short)c.OldPfn;
        s.Trace.Last.Value = old.RefCount;
        s.Trace.Last.Detail = expected;
        if (old.RefCount != expected || old.MapCount != 0) return false;
        if (old.InSwapCache)
        {
            int slot = old.SwapSlot;
            old.Flags &= ~FrameFlags.SwapCache;
            old.SwapSlot = -1;
            old.RefCount--;
            ref Frame fresh = ref s.M.Frames[c.NewPfn];
            fresh.Flags |= FrameFlags.SwapCache;
            fresh.SwapSlot = (short)slot;
            fresh.RefCount++;
            s.M.SwapCacheFrame[slot] = (short)c.NewPfn;
        }
        c.Moved = true;
        return true;
    }

    /// <summary>migrate_page_copy(newpage, page): data and PG_dirty; the copy is the register's once its PTEs are restored.</summary>
    [Step(StepCategory.Page, "migrate_page_copy(newpage, page): copy data and state")]
    internal static bool migrate_page_copy(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.OldPfn < 0 || c.NewPfn < 0) return false;
        AccessOracle.KernelRead(s, ai, c.OldPfn);
        ref Frame old = ref s.M.Frames[c.OldPfn];
        ref Frame fresh = ref s.M.Frames[c.NewPfn];
        fresh.Content = old.Content;
        fresh.Flags |= old.Flags & FrameFlags.Dirty;
        // A copy of a page whose data its swap slot holds holds it too.
        fresh.SwapSeq = old.SwapSeq == old.WriteSeq ? fresh.WriteSeq : -1;
        c.CopySrc = c.OldPfn;
        c.CopySeq = old.WriteSeq;
        c.CopyDst = c.NewPfn;
        s.Trace.Last.Pfn = (short)c.OldPfn;
        s.Trace.Last.Value = c.NewPfn;
        return true;
    }

    /// <summary>
    /// __migration_entry_wait(): "page = migration_entry_to_page(entry); if (!get_page_unless_zero(page))
    /// goto out;" with entry decoded from the PTE read under the PTL.
    /// </summary>
    [Step(StepCategory.Page, "get_page_unless_zero(page) (migration_entry_wait)")]
    internal static bool get_page_unless_zero(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        Pte live = s.M.PteAt(c.Mm, c.Va);
        if (live.Kind != PteKind.Migration)
        {
            AccountingOracle.NotMigrationEntry(s, ai);
            return false;
        }
        int pfn = live.Pfn;
        c.OldPfn = pfn;
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0 || s.M.Frames[pfn].IsFree || s.M.Frames[pfn].RefCount == 0) return false;
        s.M.Frames[pfn].RefCount++;
        return true;
    }

    /// <summary>copy_one_pte(): "if (is_write_migration_entry(entry) &amp;&amp; is_cow_mapping(vm_flags)) make_migration_entry_read(&amp;entry); ... set_pte_at(src_mm, ...)".</summary>
    [Step(StepCategory.PteWrite, "fork: a write migration entry in the parent becomes a read one")]
    internal static bool make_migration_entry_read(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte pte = ref s.M.PteAt(c.Mm, c.Va);
        if (pte.Kind != PteKind.Migration || !pte.Writable) return false;
        s.M.WritePte(c.Mm, c.Va).Writable = false;
        return true;
    }

    /// <summary>
    /// set_tlb_ubc_flush_pending(mm, pte_dirty(pteval)) (rmap.c:601-622): the CPU flush is deferred to
    /// try_to_unmap_flush(), and "mm->tlb_flush_batched = true" tells flush_tlb_batched_pending() so
    /// (3ea277194daa). With the knob tlb_flush_batched counter (5ee2fa2f0636) it adds a pending
    /// generation instead ("atomic_inc(&amp;mm->tlb_flush_batched)").
    /// </summary>
    [Step(StepCategory.TlbFlush, "defer the flush to try_to_unmap_flush(); mm->tlb_flush_batched = true (counter: one more pending generation)")]
    internal static bool set_tlb_ubc_flush_pending(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref int batch = ref s.M.MmStates[c.Mm].TlbFlushBatched;
        batch = s.Kernel.Knobs.TlbFlushBatchedCounter ? (batch & ~0xffff) | ((batch & 0xffff) + 1) : 1;
        c.UbcPending = true;
        c.UbcMms |= (byte)(1 << c.Mm);
        if (c.PteVal.Dirty) c.UbcWritable = true;
        s.Trace.Last.Detail = c.UbcWritable ? 1 : 0;
        return true;
    }

    [Step(StepCategory.TlbFlush, "before writeback: flush if a deferred entry may be writable")]
    internal static bool try_to_unmap_flush_dirty(Simulator s, int ai, in Instr ins) => TryToUnmapFlush(s, ai, dirtyOnly: true);

    [Step(StepCategory.TlbFlush, "do the deferred flush (before the pages are freed)")]
    internal static bool try_to_unmap_flush(Simulator s, int ai, in Instr ins) => TryToUnmapFlush(s, ai, dirtyOnly: false);

    /// <summary>try_to_unmap_flush() / try_to_unmap_flush_dirty(): the deferred shootdown, of every mm batched.</summary>
    private static bool TryToUnmapFlush(Simulator s, int ai, bool dirtyOnly)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Trace.Last.Va = -1;
        if (!c.UbcPending || (dirtyOnly && !c.UbcWritable)) return false;
        int dropped = 0;
        for (int mm = 0; mm < s.M.Mms; mm++)
        {
            if ((c.UbcMms & (1 << mm)) != 0) dropped += s.FlushCpuTlbs(mm, 0, s.M.Pages - 1);
        }
        c.UbcPending = false;
        c.UbcWritable = false;
        c.UbcMms = 0;
        s.Trace.Last.Value = dropped;
        return true;
    }

    [Step(StepCategory.Check, "is_write_migration_entry(entry): the page was writable when it was unmapped", Local = true, Predicate = true)]
    internal static bool is_write_migration_entry(Simulator s, int ai, in Instr ins) => s.M.PteAt(s.Agents[ai].Ctx.Mm, s.Agents[ai].Ctx.Va) is { Kind: PteKind.Migration, Writable: true };

    [Step(StepCategory.Check, "kpage != NULL: merging into an existing KSM page", Local = true, Predicate = true)]
    internal static bool kpage(Simulator s, int ai, in Instr ins) => s.Agents[ai].Ctx.KPfn >= 0;

    [Step(StepCategory.Check, "flags & TTU_MIGRATION: install a migration entry rather than a swap entry", Local = true, Predicate = true)]
    internal static bool TTU_MIGRATION(Simulator s, int ai, in Instr ins) => s.Agents[ai].CurOp >= 0 && s.Ops[s.Agents[ai].CurOp].Kind == OpKind.Migrate;

}
