using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>Page allocation, copying, references (get_page/put_page) and rmap counts.</summary>
internal static partial class Steps
{
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
    private static bool CowUserPage(Simulator s, int ai)
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

    private static bool GetPage(Simulator s, int ai, Operand operand)
    {
        int pfn = PageOf(ref s.Agents[ai], operand);
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

    private static bool PageAddNewAnonRmap(Simulator s, int ai)
    {
        int pfn = s.Agents[ai].Ctx.NewPfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].MapCount = 1;
        return true;
    }

    private static bool PageDupRmap(Simulator s, int ai, Operand operand)
    {
        int pfn = PageOf(ref s.Agents[ai], operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].MapCount++;
        return true;
    }

    private static bool PageRemoveRmap(Simulator s, int ai, Operand operand)
    {
        int pfn = PageOf(ref s.Agents[ai], operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        ref Frame f = ref s.M.Frames[pfn];
        if (f.IsZero || f.MapCount <= 0) return false;
        f.MapCount--;
        s.Trace.Last.Value = f.MapCount;
        return true;
    }
}
