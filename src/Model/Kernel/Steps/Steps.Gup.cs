using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>O_DIRECT: get_user_pages_fast() pins the page, the disk's DMA writes it by physical address.</summary>
internal static partial class Steps
{
    /// <summary>
    /// x86 get_user_pages_fast() (v4.14): with interrupts off, so that a TLB shootdown (and hence a
    /// ptep_clear_flush) cannot complete in the middle, walk the PTE and take a reference. A single
    /// step: it is either before a clear-and-flush or after it.
    /// </summary>
    [Step(StepCategory.Page, "get_user_pages_fast(): with IRQs off (so no TLB shootdown completes meanwhile), walk the PTE and pin the page")]
    internal static bool get_user_pages_fast(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte pte = ref s.M.PteAt(c.Mm, c.Va);
        if (!pte.IsPresent || !pte.Writable || pte.Pfn == Limits.ZeroPfn) return Fault(s, ai);
        ref Frame f = ref s.M.Frames[pte.Pfn];
        f.RefCount++;
        c.PinPfn = pte.Pfn;
        c.PinGen = f.Generation;
        s.Trace.Last.Pfn = pte.Pfn;
        return true;
    }

    /// <summary>
    /// O_DIRECT's read completes: the DMA writes the data into the pinned frame, which becomes dirty.
    /// With operand page, a swap bio: it joins the swap device's queue (<c>Steps.Writeback.cs</c>).
    /// </summary>
    [Step(StepCategory.Page, "submit_bio(): O_DIRECT: the disk's DMA writes the read data into the pinned page; (page): the page's swap bio joins the swap device's queue (page_io.c:345, 405)")]
    internal static bool submit_bio(Simulator s, int ai, in Instr ins)
    {
        if (ins.Operand == Operand.Page) return SubmitSwapBio(s, ai);
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.PinPfn < 0) return false;
        AccessOracle.Check(s, ai, c.PinPfn, c.PinGen, write: true, c.Mm, c.Va);
        ref Frame f = ref s.M.Frames[c.PinPfn];
        f.Content = c.Value;
        f.WriteSeq++;
        f.LastWriteTick = s.Tick;
        f.LastWriter = (short)ai;
        f.Flags |= FrameFlags.Dirty;
        s.Trace.Last.Pfn = (short)c.PinPfn;
        s.Trace.Last.Value = c.Value;
        return true;
    }

    /// <summary>put_page() of the pinned page once the I/O is done: the pin is gone.</summary>
    private static bool Unpin(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int pfn = c.PinPfn;
        c.PinPfn = -1;
        return PutPage(s, ai, pfn);
    }

    /// <summary>
    /// page_maybe_dma_pinned(page), as page_try_share_anon_rmap() asks it in try_to_unmap_one()
    /// (v5.19, 6c287605fd56): an O_DIRECT read still holds the page.
    /// </summary>
    [Step(StepCategory.Check, "page_maybe_dma_pinned(page): an O_DIRECT (FOLL_PIN) reference is outstanding: reclaim must not unmap it (v5.19, 6c287605fd56)", Predicate = true)]
    internal static bool page_maybe_dma_pinned(Simulator s, int ai, in Instr ins)
    {
        int pfn = s.Agents[ai].Ctx.OldPfn;
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        for (int i = 0; i < s.Agents.Length; i++)
        {
            if (s.Agents[i].Ctx.PinPfn == pfn) return true;
        }
        return false;
    }
}
