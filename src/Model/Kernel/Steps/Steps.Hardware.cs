using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>Hardware: the CPU MMU, the device with its ATC, the IOMMU's ATS walker and PRI.</summary>
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
    /// ATS translation request: the IOMMU walks the CPU page table of the bound mm itself, with no
    /// kernel lock, and returns a translation the device caches in its ATC. Write permission is
    /// granted only for a write request or an already dirty PTE (the IOMMU sets A/D as it grants).
    /// </summary>
    [Step(StepCategory.Hardware, "ATS translation request: the IOMMU walks the CPU page table (no kernel lock) and fills the ATC")]
    internal static bool ats_translate(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        if (!IommuFill(s, c.Va, c.Write)) return Fault(s, ai);
        ref readonly TlbEntry e = ref s.M.Atc[c.Va];
        s.Trace.Last.Pfn = e.Pfn;
        s.Trace.Last.Detail = e.Writable ? 1 : 0;
        return true;
    }

    /// <summary>The IOMMU walk behind ATS, also used for the device's speculative translations.</summary>
    internal static bool IommuFill(Simulator s, int va, bool write)
    {
        ref Pte pte = ref s.M.PteAt(s.M.IommuMm, va);
        if (!pte.IsPresent || (write && !pte.Writable)) return false;
        pte.Young = true;
        if (write) pte.Dirty = true;
        ref TlbEntry e = ref s.M.Atc[va];
        e.Valid = true;
        e.Pfn = pte.Pfn;
        e.Writable = pte.Writable && pte.Dirty;
        e.Dirty = pte.Dirty;
        e.Generation = s.M.Frames[pte.Pfn].Generation;
        e.PteVersion = s.M.VersionOf(s.M.IommuMm, va);
        e.FillTick = s.Tick;
        return true;
    }

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
