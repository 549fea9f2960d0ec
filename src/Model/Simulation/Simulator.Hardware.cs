using Fuzz.Model.Machine;
using Fuzz.Model.Trace;

namespace Fuzz.Model.Simulation;

/// <summary>
/// CPU hardware actions the scheduler may take at any time (a correct kernel must survive every
/// one): speculative TLB fills from present PTEs and evictions (of TLB and, for the device, ATC
/// entries). Also the CPU TLB shootdown that kernel steps call. The IOMMU and the device's ATS
/// traffic are in Simulator.Iommu.cs.
/// </summary>
public sealed partial class Simulator
{
    private void HardwareFill(int agent, int va)
    {
        ref TraceEvent ev = ref Trace.Append();
        ev.Tick = Tick;
        ev.Agent = (byte)agent;
        ev.Kind = TraceKind.Fill;
        ev.Va = (sbyte)va;
        int mm = Agents[agent].Mm;
        ev.Mm = (sbyte)mm;
        ref Pte pte = ref M.PteAt(mm, va);
        pte.Young = true;
        ref TlbEntry e = ref M.TlbAt(agent, mm, va);
        e.Valid = true;
        e.Pfn = pte.Pfn;
        e.Writable = pte.Writable;
        e.Dirty = pte.Dirty;
        e.Generation = M.Frames[pte.Pfn].Generation;
        e.PteVersion = M.VersionOf(mm, va);
        e.FillTick = Tick;
        ev.Pfn = e.Pfn;
        ev.Detail = e.Writable ? 1 : 0;
    }

    private void HardwareEvict(int agent, int va)
    {
        ref TraceEvent ev = ref Trace.Append();
        ev.Tick = Tick;
        ev.Agent = (byte)agent;
        ev.Kind = TraceKind.Evict;
        ev.Va = (sbyte)va;
        if (agent == DeviceAgent)
        {
            ev.Mm = (sbyte)M.IommuMm;
            ev.Pfn = M.Atc[va].Pfn;
            M.Atc[va].Valid = false;
            return;
        }
        int mm = Agents[agent].Mm;
        ev.Mm = (sbyte)mm;
        ev.Pfn = M.TlbAt(agent, mm, va).Pfn;
        M.TlbAt(agent, mm, va).Valid = false;
    }

    /// <summary>Shoot down every CPU's entries for pages [first, last] of <paramref name="mm"/>; returns how many were dropped.</summary>
    internal int FlushCpuTlbs(int mm, int first, int last)
    {
        int dropped = 0;
        for (int cpu = 0; cpu < M.Cpus; cpu++)
        {
            for (int va = first; va <= last; va++)
            {
                ref TlbEntry e = ref M.TlbAt(cpu, mm, va);
                if (!e.Valid) continue;
                e.Valid = false;
                dropped++;
            }
        }
        return dropped;
    }
}
