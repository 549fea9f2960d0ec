using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>Hardware: the CPU MMU, the device with its ATC and its ATS requests, PRI. The IOMMU's own actions are in Simulation/Simulator.Iommu.cs.</summary>
internal static partial class Steps
{
    /// <summary>
    /// x86 MMU. A TLB hit with the needed permission accesses memory; a store through an entry whose
    /// cached dirty bit is clear first re-walks to set the PTE's dirty bit, and fails like a miss if
    /// the PTE no longer allows it (a pre-CET part may leave the dirty bit set on the read-only PTE). A permission miss on a hit drops the entry and faults (SDM
    /// 4.10.4.1: #PF invalidates the faulting translation). A miss walks the page table and fills.
    /// </summary>
    [Step(StepCategory.Hardware, "CPU load/store: TLB hit, or page walk that fills the TLB (sets the PTE dirty bit on a store); else #PF")]
    internal static bool mmu_access(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        ref OpContext c = ref a.Ctx;
        ref TlbEntry e = ref s.M.TlbAt(ai, c.Mm, c.Va);
        ref Pte pte = ref s.M.PteAt(c.Mm, c.Va);
        if (e.Valid)
        {
            if (!c.Write || e.Writable)
            {
                if (c.Write && !e.Dirty)
                {
                    if (pte.IsPresent && pte.Writable && pte.Pfn == e.Pfn)
                    {
                        pte.Dirty = true;
                        e.Dirty = true;
                    }
                    else
                    {
                        // Intel SDM vol. 3, 4.8: a processor without CET may set the dirty flag of
                        // an entry whose R/W flag another CPU cleared concurrently; the write still
                        // faults and never retires (knob dirty_bit pre_cet). A CET-era part re-checks.
                        if (s.Kernel.Knobs.PreCetDirtyBit && pte.IsPresent && pte.Pfn == e.Pfn) pte.Dirty = true;
                        e.Valid = false;
                    }
                }
                if (e.Valid)
                {
                    s.Trace.Last.Detail = 1; // through the TLB
                    MemoryAccess(s, ai, e.Pfn, e.Generation, ref c);
                    return true;
                }
            }
            else
            {
                e.Valid = false;
                return Fault(s, ai);
            }
        }
        if (pte.IsPresent && (!c.Write || pte.Writable))
        {
            pte.Young = true;
            if (c.Write) pte.Dirty = true;
            e.Valid = true;
            e.Pfn = pte.Pfn;
            e.Writable = pte.Writable;
            e.Dirty = pte.Dirty;
            e.Generation = s.M.Frames[pte.Pfn].Generation;
            e.PteVersion = s.M.VersionOf(c.Mm, c.Va);
            e.FillTick = s.Tick;
            s.Trace.Last.Detail = 2; // page walk
            MemoryAccess(s, ai, e.Pfn, e.Generation, ref c);
            return true;
        }
        return Fault(s, ai);
    }

    /// <summary>A DMA read or write through the device's ATC; false on a miss (no fault yet).</summary>
    [Step(StepCategory.Hardware, "device DMA through its ATC entry; false on an ATC miss")]
    internal static bool dma_access(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        ref OpContext c = ref a.Ctx;
        ref TlbEntry e = ref s.M.Atc[c.Va];
        if (!e.Valid || (c.Write && !e.Writable)) return false;
        MemoryAccess(s, ai, e.Pfn, e.Generation, ref c);
        return true;
    }

    /// <summary>
    /// The device sends an ATS Translation Request for the address (a write request for a DMA
    /// write). It waits while a request for the page is outstanding: a speculative one completes first.
    /// </summary>
    [Step(StepCategory.Hardware, "the device sends an ATS Translation Request for the address (the IOMMU answers it later, as a hardware action)", Ready = nameof(AtsSlotFree))]
    internal static bool ats_translation_request(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.RequestTranslation(c.Va, c.Write, demand: true);
        s.Trace.Last.Detail = c.Write ? 1 : 0;
        return true;
    }

    /// <summary>
    /// The device takes the IOMMU's Translation Completion: caches the translation in its ATC, or
    /// (PCIe ATS) discards it when an invalidation of the page arrived after the request was sent;
    /// either way true (look in the ATC again). No translation: false, and the device goes to PRI.
    /// </summary>
    [Step(StepCategory.Hardware, "the device takes the Translation Completion: caches it in its ATC, discards it if stale; false when there is no translation", Ready = nameof(AtsAnswered))]
    internal static bool ats_translation_completion(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        AtsOutcome outcome = s.DeliverCompletion(c.Va, out int pfn, out bool writable, out int completed);
        ref var ev = ref s.Trace.Last;
        ev.Pfn = (short)pfn;
        ev.Detail = AtsOutcomes.Detail(outcome, writable);
        ev.Value = completed;
        return outcome != AtsOutcome.NoTranslation || Fault(s, ai);
    }

    private static bool AtsSlotFree(Simulator s, int ai, in Instr ins) => s.M.Ats[s.Agents[ai].Ctx.Va].State == AtsState.None;

    private static bool AtsAnswered(Simulator s, int ai, in Instr ins) => s.M.Ats[s.Agents[ai].Ctx.Va].State == AtsState.Answered;

    [Step(StepCategory.Hardware, "the device sends a PRI page request for an address ATS could not translate")]
    internal static bool pri_page_request(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.M.PriQueued = true;
        s.M.PriResponded = false;
        s.M.PriVa = (byte)c.Va;
        s.M.PriWrite = c.Write;
        s.PrepareWorkerRequest();
        return true;
    }

    [Step(StepCategory.Wait, "the device waits for the PRI response", Ready = nameof(PriAnswered))]
    internal static bool pri_wait_response(Simulator s, int ai, in Instr ins) => PriWaitResponse(s);

    private static bool PriWaitResponse(Simulator s)
    {
        s.M.PriResponded = false;
        return true;
    }

    [Step(StepCategory.Hardware, "the IOMMU driver sends the PRI response (amd_iommu_complete_ppr)")]
    internal static bool finish_pri_tag(Simulator s, int ai, in Instr ins) => FinishPriTag(s);

    private static bool FinishPriTag(Simulator s)
    {
        s.M.PriResponded = true;
        return true;
    }

    /// <summary>
    /// A translation failed: count it, and stop an agent that keeps faulting on a fault the kernel
    /// claims to have fixed. Faults taken while another agent could run are not counted: that agent
    /// may be the one the fault waits for (a zap holding the PTL), and only an unfair schedule keeps
    /// it from running.
    /// </summary>
    private static bool Fault(Simulator s, int ai)
    {
        ref AgentState a = ref s.Agents[ai];
        if (s.OthersEnabled(ai)) return false;
        a.Ctx.Faults++;
        if (a.Ctx.Faults > s.FaultLimit)
        {
            ProgressOracle.FaultLoop(s, ai);
        }
        return false;
    }

    /// <summary>The memory access itself, with the per-access oracles (use-after-free, isolation, lost write).</summary>
    private static void MemoryAccess(Simulator s, int ai, int pfn, int generation, ref OpContext c)
    {
        AccessOracle.Check(s, ai, pfn, generation, c.Write, c.Mm, c.Va);
        ref Frame f = ref s.M.Frames[pfn];
        ref var ev = ref s.Trace.Last;
        ev.Pfn = (short)pfn;
        if (c.Write)
        {
            f.Content = c.Value;
            f.WriteSeq++;
            f.LastWriteTick = s.Tick;
            f.LastWriter = (short)ai;
            ev.Value = c.Value;
        }
        else
        {
            c.Value = f.Content;
            ev.Value = f.Content;
        }
    }

    private static bool PriAnswered(Simulator s, int ai, in Instr ins) => s.M.PriResponded;

}
