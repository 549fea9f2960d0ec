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
    private static bool PteNone(Simulator s, int ai, Operand operand)
    {
        if (operand != Operand.Orig)
        {
            ref OpContext c = ref s.Agents[ai].Ctx;
            ScanOracle.Saw(s, ai, c.Mm, c.Va);
        }
        return PteOperand(s, ai, operand).IsNone;
    }

    /// <summary>handle_pte_fault: "vmf->orig_pte = *vmf->pte;" without the PTL.</summary>
    private static bool ReadOrigPte(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.OrigPte = s.M.PteAt(c.Mm, c.Va);
        if (c.OrigPte.IsPresent) s.Trace.Last.Pfn = c.OrigPte.Pfn;
        s.Trace.Last.Detail = (int)c.OrigPte.Kind;
        return true;
    }

    private static bool PteSame(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        return s.M.PteAt(c.Mm, c.Va).Same(c.OrigPte);
    }

    /// <summary>vm_normal_page(): the struct page behind a present PTE; NULL for the zero page.</summary>
    private static bool VmNormalPage(Simulator s, int ai, Operand operand)
    {
        Pte pte = PteOperand(s, ai, operand);
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.OldPfn = pte.IsPresent && pte.Pfn != Limits.ZeroPfn ? pte.Pfn : -1;
        s.Trace.Last.Pfn = (short)c.OldPfn;
        return c.OldPfn >= 0;
    }

    private static bool IsZeroPfn(Simulator s, int ai, Operand operand)
    {
        Pte pte = PteOperand(s, ai, operand);
        return pte.IsPresent && pte.Pfn == Limits.ZeroPfn;
    }

    private static bool PageKsm(Simulator s, int ai)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        return pfn >= 0 && s.M.Frames[pfn].IsKsm;
    }

    /// <summary>
    /// mm/swapfile.c: reuse_swap_page() (v4.14): never for KSM; otherwise the page may be written in
    /// place when its mapcount plus its swap count is at most one.
    /// </summary>
    private static bool ReuseSwapPage(Simulator s, int ai)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        if (f.IsKsm) return false;
        int count = f.MapCount + (f.InSwapCache && f.SwapSlot >= 0 ? s.M.SwapCount[f.SwapSlot] : 0);
        s.Trace.Last.Pfn = (short)pfn;
        s.Trace.Last.Value = count;
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
    private static bool PageCountIsOne(Simulator s, int ai, Operand operand)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        int expected = operand == Operand.SwapCache ? 1 + (f.InSwapCache ? 1 : 0) : 1;
        s.Trace.Last.Pfn = (short)pfn;
        s.Trace.Last.Value = f.RefCount;
        s.Trace.Last.Detail = expected;
        return f.RefCount == expected;
    }

    /// <summary>"entry = mk_pte(page, vma->vm_page_prot)": present, read-only, clean, young.</summary>
    private static bool MkPte(Simulator s, int ai, Operand operand)
    {
        ref AgentState a = ref s.Agents[ai];
        int pfn = operand == Operand.None ? a.Ctx.NewPfn : PageOf(ref a, operand);
        a.Ctx.NewEntry = Pte.Present(pfn < 0 ? Limits.ZeroPfn : pfn, writable: false, dirty: false);
        return true;
    }

    private static bool MyZeroPfn(Simulator s, int ai)
    {
        s.Agents[ai].Ctx.NewEntry = Pte.Present(Limits.ZeroPfn, writable: false, dirty: false);
        return true;
    }

    /// <summary>"entry = maybe_mkwrite(entry, vma)": the VMA is writable, so the entry is.</summary>
    private static bool MaybeMkwrite(Simulator s, int ai)
    {
        s.Agents[ai].Ctx.NewEntry.Writable = true;
        return true;
    }

    private static bool PteMkdirty(Simulator s, int ai)
    {
        s.Agents[ai].Ctx.NewEntry.Dirty = true;
        return true;
    }

    /// <summary>handle_pte_fault(): "if (write) entry = pte_mkdirty(entry); entry = pte_mkyoung(entry);".</summary>
    private static bool PteMkyoung(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.NewEntry = c.OrigPte;
        c.NewEntry.Young = true;
        if (c.Write) c.NewEntry.Dirty = true;
        return true;
    }

    /// <summary>copy_one_pte(): the child's entry, write-protected (is_cow_mapping) and old.</summary>
    private static bool PteMkold(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.NewEntry = s.M.PteAt(c.Mm, c.Va);
        c.NewEntry.Writable = false;
        c.NewEntry.Young = false;
        return true;
    }
}
