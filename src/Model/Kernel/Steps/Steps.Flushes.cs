using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// CPU TLB shootdowns. Each is one step: the IPIs are sent and acknowledged before the caller goes
/// on, so no CPU can use the flushed entries afterwards; a CPU that used them before is ordered
/// before the flush.
/// </summary>
internal static partial class Steps
{
    private static bool FlushTlbPage(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Trace.Last.Value = s.FlushCpuTlbs(c.Mm, c.Va, c.Va);
        return true;
    }

    private static bool FlushTlbMm(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Trace.Last.Va = -1;
        s.Trace.Last.Value = s.FlushCpuTlbs(c.Mm, 0, s.M.Pages - 1);
        return true;
    }

    /// <summary>
    /// mm/rmap.c: flush_tlb_batched_pending() (3ea277194daa): reclaim may have cleared PTEs of this mm
    /// and deferred their flush; anyone about to decide from PTE contents must flush first.
    /// </summary>
    private static bool FlushTlbBatchedPending(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref var mm = ref s.M.MmStates[c.Mm];
        s.Trace.Last.Va = -1;
        if (!mm.TlbFlushBatched) return false;
        s.Trace.Last.Value = s.FlushCpuTlbs(c.Mm, 0, s.M.Pages - 1);
        mm.TlbFlushBatched = false;
        return true;
    }
}
