using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>Page allocation, copying, references (get_page/put_page) and rmap counts.</summary>
internal static partial class Steps
{
    [Step(StepCategory.Page, "allocate a zeroed page (refcount 1)")]
    internal static bool alloc_zeroed_user_highpage_movable(Simulator s, int ai, in Instr ins) => AllocPage(s, ai, zeroed: true);

    [Step(StepCategory.Page, "allocate a page, not cleared (refcount 1)")]
    internal static bool alloc_page_vma(Simulator s, int ai, in Instr ins) => AllocPage(s, ai, zeroed: false);

    private static bool AllocPage(Simulator s, int ai, bool zeroed)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int pfn = s.M.AllocFrame();
        if (pfn < 0) throw new ModelLimitException($"out of frames at tick {s.Tick}: raise the frame count of the scenario");
        if (zeroed) s.M.Frames[pfn].Content = 0;
        c.NewPfn = pfn;
        s.Trace.Last.Pfn = (short)pfn;
        return true;
    }

    /// <summary>
    /// cow_user_page(): copy the old page into the new one. The kernel holds a reference to the old
    /// page (do_wp_page's get_page), so copying from a freed frame is a use-after-free. The source's
    /// write sequence is kept: a write landing in it after the copy is lost once the copy is mapped.
    /// </summary>
    [Step(StepCategory.Page, "copy the old page's data into the new page")]
    internal static bool cow_user_page(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int src = c.OrigPte.IsPresent ? c.OrigPte.Pfn : -1;
        if (src < 0 || c.NewPfn < 0) return false;
        AccessOracle.KernelRead(s, ai, src);
        ref Frame from = ref s.M.Frames[src];
        s.M.Frames[c.NewPfn].Content = from.Content;
        c.CopySrc = src;
        c.CopySeq = from.WriteSeq;
        c.CopyDst = c.NewPfn;
        s.Trace.Last.Pfn = (short)src;
        s.Trace.Last.Value = c.NewPfn;
        return true;
    }

    [Step(StepCategory.Page, "take a page reference")]
    internal static bool get_page(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].RefCount++;
        return true;
    }

    /// <summary>put_page(): drop a reference; the last one frees the frame (with the free-time checks).</summary>
    internal static bool PutPage(Simulator s, int ai, int pfn)
    {
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        if (f.IsZero) return false;
        if (f.IsFree || f.RefCount <= 0)
        {
            AccountingOracle.OverPut(s, ai, pfn);
            return false;
        }
        f.RefCount--;
        s.Trace.Last.Value = f.RefCount;
        if (f.RefCount == 0)
        {
            AccountingOracle.CheckFree(s, ai, pfn);
            s.M.FreeFrame(pfn);
            s.Trace.Last.Detail = 1; // freed
        }
        return true;
    }

    [Step(StepCategory.Page, "mapcount of the new page = 1", Local = true)]
    internal static bool page_add_new_anon_rmap(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.NewPfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].MapCount = 1;
        return true;
    }

    [Step(StepCategory.Page, "mapcount++ (fork shares the page)")]
    internal static bool page_dup_rmap(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].MapCount++;
        return true;
    }

    [Step(StepCategory.Page, "mapcount--")]
    internal static bool page_remove_rmap(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        if (f.IsZero || f.MapCount <= 0) return false;
        f.MapCount--;
        s.Trace.Last.Value = f.MapCount;
        return true;
    }

    [Step(StepCategory.Page, "drop a page reference; the last one frees the frame")]
    internal static bool put_page(Simulator s, int ai, in Instr ins) => ins.Operand == Operand.Pin ? Unpin(s, ai) : PutPage(s, ai, PageOf(ref s.Agents[ai], ins.Operand));


    /// <summary>SetPageDirty(page): the page's data must be written out before the page may be dropped.</summary>
    [Step(StepCategory.Page, "SetPageDirty(page): the data must be written to swap before the page may be dropped")]
    internal static bool SetPageDirty(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].Flags |= FrameFlags.Dirty;
        return true;
    }

    /// <summary>
    /// delete_from_swap_cache() (swap_state.c:267-281): the page leaves the swap cache, the slot
    /// loses the cache's hold (put_swap_page: freed if no swap PTE names it) and the page loses the
    /// cache's reference (never the last one: the caller holds the page).
    /// </summary>
    internal static void DeleteFromSwapCache(Simulator s, int ai, int pfn)
    {
        s.M.RemoveFromSwapCache(pfn);
        PutPage(s, ai, pfn);
    }

}
