using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// The mmu_gather of v4.14 (mm/memory.c): cleared PTEs are flushed in one batch at the end, and
/// the pages they mapped are freed only after that flush. tlb_flush_pending tells a concurrent
/// zapper that a flush is still owed.
/// </summary>
internal static partial class Steps
{
    private static bool TlbGatherMmu(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.InGather = true;
        c.ResetGatherRange();
        c.GatherCount = 0;
        s.M.MmStates[c.Mm].TlbFlushPending++;
        s.Trace.Last.Value = s.M.MmStates[c.Mm].TlbFlushPending;
        return true;
    }

    private static bool TlbRemoveTlbEntry(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (c.Va < c.GatherFirst) c.GatherFirst = c.Va;
        if (c.Va > c.GatherLast) c.GatherLast = c.Va;
        return true;
    }

    /// <summary>__tlb_remove_page(): the page table's reference now belongs to the gather.</summary>
    private static bool TlbRemovePage(Simulator s, int ai, Operand operand)
    {
        ref AgentState a = ref s.Agents[ai];
        int pfn = PageOf(ref a, operand);
        if (pfn < 0 || a.Ctx.GatherCount == Machine.Limits.GatherBatch) return false;
        a.Ctx.GatherPages[a.Ctx.GatherCount++] = (short)pfn;
        return true;
    }

    /// <summary>
    /// tlb_finish_mmu(): "bool force = mm_tlb_flush_nested(tlb->mm);" then, when forced,
    /// __tlb_adjust_range(tlb, start, end - start): flush the whole range even if this thread found
    /// every PTE already clear, because another thread may have cleared them and not flushed yet.
    /// </summary>
    private static bool MmTlbFlushNested(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int pending = s.M.MmStates[c.Mm].TlbFlushPending;
        s.Trace.Last.Value = pending;
        if (pending <= 1) return false;
        if (c.RangeFirst < c.GatherFirst) c.GatherFirst = c.RangeFirst;
        if (c.RangeLast > c.GatherLast) c.GatherLast = c.RangeLast;
        return true;
    }

    /// <summary>tlb_flush_mmu_tlbonly(): "if (!tlb->end) return; tlb_flush(tlb);" over the recorded range.</summary>
    private static bool TlbFlush(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (!c.GatherHasRange)
        {
            s.Trace.Last.Va = -1;
            return false;
        }
        s.Trace.Last.Va = (sbyte)c.GatherFirst;
        s.Trace.Last.Detail = c.GatherLast;
        s.Trace.Last.Value = s.FlushCpuTlbs(c.Mm, c.GatherFirst, c.GatherLast);
        return true;
    }

    /// <summary>tlb_flush_mmu_free(): free_pages_and_swap_cache() on the gathered pages.</summary>
    private static bool TlbFlushMmuFree(Simulator s, int ai)
    {
        ref AgentState a = ref s.Agents[ai];
        int n = a.Ctx.GatherCount;
        a.Ctx.GatherCount = 0;
        s.Trace.Last.Value = n;
        for (int i = 0; i < n; i++)
        {
            int pfn = a.Ctx.GatherPages[i];
            PutPage(s, ai, pfn);
        }
        s.Trace.Last.Pfn = -1;
        s.Trace.Last.Value = n;
        return n > 0;
    }

    private static bool DecTlbFlushPending(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (!c.InGather) return false;
        c.InGather = false;
        s.M.MmStates[c.Mm].TlbFlushPending--;
        s.Trace.Last.Value = s.M.MmStates[c.Mm].TlbFlushPending;
        return true;
    }
}
