using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>Reading and testing PTEs and pages, and building the entry to install.</summary>
internal static partial class Steps
{
    /// <summary>The PTE a check looks at: *pte (under the PTL), or the kernel's copy vmf->orig_pte.</summary>
    private static Pte PteOperand(Simulator s, int ai, Operand operand)
    {
        ref AgentState a = ref s.Agents[ai];
        return operand == Operand.Orig ? a.Ctx.OrigPte : s.M.PteAt(a.Ctx.Mm, a.Ctx.Va);
    }

    /// <summary>pte_none(): on *pte it is where zap and fork look at a page, which the stale-tlb oracle records.</summary>
    [Step(StepCategory.Check, "pte_none() of the PTE under the PTL, or of orig_pte", Local = true, Predicate = true)]
    internal static bool pte_none(Simulator s, int ai, in Instr ins)
    {
        if (ins.Operand != Operand.Orig)
        {
            ref OpContext c = ref s.Agents[ai].Ctx;
            ScanOracle.Saw(s, ai, c.Mm, c.Va);
        }
        return PteOperand(s, ai, ins.Operand).IsNone;
    }

    /// <summary>handle_pte_fault: "vmf->orig_pte = *vmf->pte;" without the PTL.</summary>
    [Step(StepCategory.Check, "vmf->orig_pte = *vmf->pte, read without the PTL (handle_pte_fault)")]
    internal static bool read_orig_pte(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.OrigPte = s.M.PteAt(c.Mm, c.Va);
        if (c.OrigPte.IsPresent) s.Trace.Last.Pfn = c.OrigPte.Pfn;
        s.Trace.Last.Detail = (int)c.OrigPte.Kind;
        return true;
    }

    [Step(StepCategory.Check, "pte_same(*pte, orig_pte) under the PTL: nobody changed the PTE since it was read", Local = true, Predicate = true)]
    internal static bool pte_same(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        return s.M.PteAt(c.Mm, c.Va).Same(c.OrigPte);
    }

    /// <summary>vm_normal_page(): the struct page behind a present PTE; NULL for the zero page.</summary>
    [Step(StepCategory.Check, "the struct page behind the PTE (NULL for the zero page)", Local = true)]
    internal static bool vm_normal_page(Simulator s, int ai, in Instr ins)
    {
        Pte pte = PteOperand(s, ai, ins.Operand);
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.OldPfn = pte.IsPresent && pte.Pfn != Limits.ZeroPfn ? pte.Pfn : -1;
        s.Trace.Last.Pfn = (short)c.OldPfn;
        return c.OldPfn >= 0;
    }

    [Step(StepCategory.Check, "is_zero_pfn(pte_pfn(orig_pte))", Local = true, Predicate = true)]
    internal static bool is_zero_pfn(Simulator s, int ai, in Instr ins)
    {
        Pte pte = PteOperand(s, ai, ins.Operand);
        return pte.IsPresent && pte.Pfn == Limits.ZeroPfn;
    }

    [Step(StepCategory.Check, "PageKsm(page): a KSM page is never reused in place", Local = true, Predicate = true)]
    internal static bool PageKsm(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        return pfn >= 0 && s.M.Frames[pfn].IsKsm;
    }

    /// <summary>
    /// mm/swapfile.c: reuse_swap_page() (v4.14, swapfile.c:1543-1577), with the page locked: never
    /// for KSM; otherwise the page may be written in place when its mapcount plus its swap count is
    /// at most one. When that count is exactly one and the page is in the swap cache, the page is
    /// about to become the only copy of its data: delete_from_swap_cache() drops the slot's cache
    /// and its reference, and SetPageDirty() makes sure the data is written again if reclaimed
    /// (swapfile.c:1554-1561). Under writeback the page stays in the swap cache (and a device with
    /// stable writes refuses the reuse).
    /// </summary>
    [Step(StepCategory.Check, "mapcount + swapcount <= 1: the page is ours alone and may be written in place; at exactly 1 it leaves the swap cache, dirty")]
    internal static bool reuse_swap_page(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        if (f.IsKsm) return false;
        int count = f.MapCount + (f.InSwapCache && f.SwapSlot >= 0 ? s.M.SwapCount[f.SwapSlot] : 0);
        s.Trace.Last.Pfn = (short)pfn;
        s.Trace.Last.Value = count;
        if (count == 1 && f.InSwapCache && (f.Flags & FrameFlags.Writeback) == 0)
        {
            DeleteFromSwapCache(s, ai, pfn);
            f.Flags |= FrameFlags.Dirty;
            s.Trace.Last.Detail = 1; // left the swap cache
        }
        return count <= 1;
    }

    /// <summary>
    /// v5.9 do_wp_page() (09854ba94c6a): "if (PageKsm(page) || page_count(page) != 1) goto copy;".
    /// A zap drops the mapcount under the PTL but keeps its reference in the mmu_gather until after
    /// the TLB flush, so counting references refuses to reuse a page other CPUs may still reach.
    /// </summary>
    /// <remarks>
    /// With operand swapcache, the swap-in path of v5.19 do_swap_page() (6c287605fd56): "swap_free(entry);
    /// if (should_try_to_free_swap(...)) try_to_free_swap(page); ... if (!PageKsm(page) &amp;&amp;
    /// (exclusive || page_count(page) == 1))": the fault's own reference and the swap cache's are
    /// the only ones allowed, so a page an unflushed zap still holds is not made writable in place.
    /// </remarks>
    [Step(StepCategory.Check, "page_count(page) == 1: no reference but the mapping's, e.g. none held by an mmu_gather that has not flushed yet (v5.9, 09854ba94c6a)", Predicate = true)]
    internal static bool page_count(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        int expected = ins.Operand == Operand.SwapCache ? 1 + (f.InSwapCache ? 1 : 0) : 1;
        s.Trace.Last.Pfn = (short)pfn;
        s.Trace.Last.Value = f.RefCount;
        s.Trace.Last.Detail = expected;
        return f.RefCount == expected;
    }

    /// <summary>"entry = mk_pte(page, vma->vm_page_prot)": present, read-only, clean, young.</summary>
    [Step(StepCategory.Entry, "entry = mk_pte(page, vma->vm_page_prot): read-only, young (default page: new_page)", Local = true)]
    internal static bool mk_pte(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        int pfn = ins.Operand == Operand.None ? a.Ctx.NewPfn : PageOf(ref a, ins.Operand);
        a.Ctx.NewEntry = Pte.Present(pfn < 0 ? Limits.ZeroPfn : pfn, writable: false, dirty: false);
        return true;
    }

    [Step(StepCategory.Entry, "entry = the zero page, read-only (pte_mkspecial)", Local = true)]
    internal static bool my_zero_pfn(Simulator s, int ai, in Instr ins)
    {
        s.Agents[ai].Ctx.NewEntry = Pte.Present(Limits.ZeroPfn, writable: false, dirty: false);
        return true;
    }

    /// <summary>"entry = maybe_mkwrite(entry, vma)": the VMA is writable, so the entry is.</summary>
    [Step(StepCategory.Entry, "entry = maybe_mkwrite(entry): writable (the VMA allows writes)", Local = true)]
    internal static bool maybe_mkwrite(Simulator s, int ai, in Instr ins)
    {
        s.Agents[ai].Ctx.NewEntry.Writable = true;
        return true;
    }

    [Step(StepCategory.Entry, "entry = pte_mkdirty(entry)", Local = true)]
    internal static bool pte_mkdirty(Simulator s, int ai, in Instr ins)
    {
        s.Agents[ai].Ctx.NewEntry.Dirty = true;
        return true;
    }

    /// <summary>handle_pte_fault(): "if (write) entry = pte_mkdirty(entry); entry = pte_mkyoung(entry);".</summary>
    [Step(StepCategory.Entry, "entry = pte_mkyoung(orig_pte), and pte_mkdirty on a write fault", Local = true)]
    internal static bool pte_mkyoung(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.NewEntry = c.OrigPte;
        c.NewEntry.Young = true;
        if (c.Write) c.NewEntry.Dirty = true;
        return true;
    }

    /// <summary>
    /// copy_one_pte(): the child's entry, write-protected (is_cow_mapping) and old; with operand new,
    /// remove_migration_pte()'s "pte_mkold(mk_pte(new, ...))": the entry being built is old.
    /// </summary>
    [Step(StepCategory.Entry, "entry = pte_mkold(pte): the child's entry (copy_one_pte), or (new) the entry being built", Local = true)]
    internal static bool pte_mkold(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (ins.Operand == Operand.Target)
        {
            c.NewEntry.Young = false;
            return true;
        }
        c.NewEntry = s.M.PteAt(c.Mm, c.Va);
        c.NewEntry.Writable = false;
        c.NewEntry.Young = false;
        return true;
    }

    [Step(StepCategory.Check, "pte_present() of the PTE under the PTL, or of orig_pte", Local = true, Predicate = true)]
    internal static bool pte_present(Simulator s, int ai, in Instr ins) => PteOperand(s, ai, ins.Operand).IsPresent;

    [Step(StepCategory.Check, "pte_write() of the PTE under the PTL, or of orig_pte", Local = true, Predicate = true)]
    internal static bool pte_write(Simulator s, int ai, in Instr ins) => PteOperand(s, ai, ins.Operand).Writable;

    [Step(StepCategory.Check, "vmf->flags & FAULT_FLAG_WRITE", Local = true, Predicate = true)]
    internal static bool write_fault(Simulator s, int ai, in Instr ins) => s.Agents[ai].Ctx.FaultWrite;

    [Step(StepCategory.Check, "pte_dirty() of the PTE or of the cleared value", Local = true, Predicate = true)]
    internal static bool pte_dirty(Simulator s, int ai, in Instr ins) => (ins.Operand == Operand.PteVal ? s.Agents[ai].Ctx.PteVal : PteOperand(s, ai, ins.Operand)).Dirty;

}
