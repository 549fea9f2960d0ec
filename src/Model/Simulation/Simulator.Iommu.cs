using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Model.Trace;

namespace Fuzz.Model.Simulation;

/// <summary>
/// The IOMMU and the device's side of PCIe ATS, as hardware actions. Two caches: the IOMMU's IOTLB
/// for the PASID-bound mm and the device's ATC. The device translates only through its ATC; a miss
/// sends an ATS Translation Request; the IOMMU answers it from its IOTLB, or walks the CPU page
/// table without any kernel lock (setting A, and D when it grants write) and fills its IOTLB; the
/// Translation Completion carries the translation back and the device caches it. Request, walk and
/// completion are separate actions, so a PTE change and an invalidation can fall between them.
/// <para>
/// The invalidation commands the driver queues are executed by the IOMMU in any order (a driver
/// orders them by waiting between them: the model lets hardware be as weak as a wait permits). An
/// ATS invalidation drops the device's ATC entries when it arrives; under the PCIe rule (knob
/// ats_stale_completions discard) it also marks the translation requests outstanding then as stale,
/// their completions are discarded, and it completes only once they have completed.
/// </para>
/// <para>
/// State space: one request per page (so a page's request, answer and staleness are a few bits),
/// speculative requests only for pages a walk would now answer differently from the ATC, and the
/// device's Invalidate Completion is not a scheduler choice of its own: it is sent as soon as the
/// PCIe rule allows, since delaying it only delays the waiting kernel, which the scheduler can do
/// anyway. Likewise COMPLETION_WAIT and the wait descriptor complete as soon as what they wait for
/// has (docs/fidelity.md).
/// </para>
/// </summary>
public sealed partial class Simulator
{
    /// <summary>
    /// A speculative request for the page is worth scheduling: none is outstanding, and the IOMMU
    /// would now answer it (from its IOTLB, else from a present PTE) with something other than what
    /// the ATC holds. Speculative requests ask for read (No Write set), as a prefetch does.
    /// </summary>
    private bool CanRequestAts(int va)
    {
        if (M.IommuMm < 0 || M.Ats[va].State != AtsState.None) return false;
        int pfn, generation;
        bool writable;
        ref TlbEntry io = ref M.Iotlb[va];
        if (io.Valid)
        {
            pfn = io.Pfn;
            generation = io.Generation;
            writable = io.Writable;
        }
        else
        {
            ref Pte pte = ref M.PteAt(M.IommuMm, va);
            if (!pte.IsPresent) return false;
            pfn = pte.Pfn;
            generation = M.Frames[pfn].Generation;
            writable = pte.Writable && pte.Dirty;
        }
        ref TlbEntry e = ref M.Atc[va];
        return !e.Valid || e.Pfn != pfn || e.Generation != generation || e.Writable != writable;
    }

    private bool CanCompleteSpeculative(int va) => M.Ats[va].State == AtsState.Answered && !M.Ats[va].Demand;

    /// <summary>Whether the IOMMU can walk or execute a command, or the device take a speculative completion.</summary>
    internal bool HardwareProgressEnabled()
    {
        if (IommuAgent < 0) return false;
        for (int va = 0; va < M.Pages; va++)
        {
            if (M.Ats[va].State == AtsState.Pending || CanCompleteSpeculative(va)) return true;
        }
        return M.QueuedCommand(0) >= 0;
    }

    /// <summary>The device sends a Translation Request for the page (the slot is free: the caller checked).</summary>
    internal void RequestTranslation(int va, bool write, bool demand)
    {
        ref AtsRequest r = ref M.Ats[va];
        r = default;
        r.State = AtsState.Pending;
        r.Write = write;
        r.Demand = demand;
    }

    private void SpeculativeAtsRequest(int va)
    {
        ref TraceEvent ev = ref HardwareEvent(DeviceAgent, TraceKind.AtsRequest, va);
        ev.Mm = (sbyte)M.IommuMm;
        RequestTranslation(va, write: false, demand: false);
    }

    private void SpeculativeCompletion(int va)
    {
        ref TraceEvent ev = ref HardwareEvent(DeviceAgent, TraceKind.AtsCompletion, va);
        ev.Mm = (sbyte)M.IommuMm;
        AtsOutcome outcome = DeliverCompletion(va, out int pfn, out bool writable, out int completed);
        ev.Pfn = (short)pfn;
        ev.Detail = AtsOutcomes.Detail(outcome, writable);
        ev.Value = completed;
        ev.Result = outcome == AtsOutcome.Cached;
    }

    /// <summary>
    /// The device takes the Translation Completion for the page: discards it when an invalidation
    /// made it stale (and then sends the Invalidate Completions that were waiting for it), else
    /// caches the translation in its ATC. The request slot is free afterwards.
    /// </summary>
    internal AtsOutcome DeliverCompletion(int va, out int pfn, out bool writable, out int completedInvalidations)
    {
        ref AtsRequest r = ref M.Ats[va];
        completedInvalidations = 0;
        pfn = r.Answer.Valid ? r.Answer.Pfn : -1;
        writable = r.Answer.Valid && r.Answer.Writable;
        AtsOutcome outcome;
        if (r.Stale) outcome = AtsOutcome.Discarded;
        else if (r.Answer.Valid)
        {
            ref TlbEntry e = ref M.Atc[va];
            e = r.Answer;
            e.FillTick = Tick;
            outcome = AtsOutcome.Cached;
        }
        else outcome = AtsOutcome.NoTranslation;
        r = default;
        if (outcome == AtsOutcome.Discarded) completedInvalidations = CompleteDeviceInvalidations();
        return outcome;
    }

    /// <summary>
    /// The IOMMU answers the translation request for the page: an IOTLB entry with the permission
    /// asked for answers it at once, whatever the page table says now; otherwise the IOMMU walks the
    /// CPU page table of the bound mm, with no kernel lock, sets A (and D for a write request, the
    /// only way it grants write to a clean PTE) and fills its IOTLB. No usable PTE: no translation.
    /// </summary>
    private void IommuWalk(int va)
    {
        ref TraceEvent ev = ref HardwareEvent(IommuAgent, TraceKind.IommuWalk, va);
        ev.Mm = (sbyte)M.IommuMm;
        ref AtsRequest r = ref M.Ats[va];
        ref TlbEntry io = ref M.Iotlb[va];
        r.State = AtsState.Answered;
        if (io.Valid && (!r.Write || io.Writable))
        {
            r.Answer = io;
            r.FromIotlb = true;
            ev.Value = 1;
        }
        else
        {
            ref Pte pte = ref M.PteAt(M.IommuMm, va);
            if (pte.IsPresent && (!r.Write || pte.Writable))
            {
                pte.Young = true;
                if (r.Write) pte.Dirty = true;
                io.Valid = true;
                io.Pfn = pte.Pfn;
                io.Writable = pte.Writable && pte.Dirty;
                io.Dirty = pte.Dirty;
                io.Generation = M.Frames[pte.Pfn].Generation;
                io.PteVersion = M.VersionOf(M.IommuMm, va);
                io.FillTick = Tick;
                r.Answer = io;
            }
            else
            {
                r.Answer = default;
            }
        }
        ev.Result = r.Answer.Valid;
        ev.Pfn = r.Answer.Valid ? r.Answer.Pfn : (short)-1;
        ev.Detail = r.Answer.Writable ? 1 : 0;
    }

    /// <summary>
    /// The IOMMU executes the <paramref name="k"/>-th command not yet executed. An IOTLB
    /// invalidation drops the IOMMU's entries for its pages and completes. An ATS invalidation is
    /// delivered to the device, which drops its ATC entries for the pages; under the PCIe rule it
    /// marks the translation requests outstanding for them as stale and completes once they have,
    /// otherwise it completes at once.
    /// </summary>
    private void IommuExecute(int k)
    {
        int index = M.QueuedCommand(k);
        ref IommuCommand cmd = ref M.IommuQueue[index];
        ref TraceEvent ev = ref HardwareEvent(IommuAgent, TraceKind.IommuCommand, cmd.First);
        ev.Mm = (sbyte)M.IommuMm;
        ev.Value = cmd.Last;
        ev.Op = cmd.Issuer;
        ev.Step = CommandStep(cmd.Kind);
        if (cmd.Kind == IommuCommandKind.IotlbPages)
        {
            ev.Detail = DropEntries(M.Iotlb, cmd.First, cmd.Last);
            M.IommuRemove(index);
            ev.Result = true;
            return;
        }
        ev.Detail = DropEntries(M.Atc, cmd.First, cmd.Last);
        bool waits = false;
        if (Kernel.Knobs.AtsDiscardStale)
        {
            for (int va = cmd.First; va <= cmd.Last; va++)
            {
                if (M.Ats[va].State == AtsState.None) continue;
                M.Ats[va].Stale = true;
                waits = true;
            }
        }
        if (waits) cmd.State = IommuCommandState.AwaitingDevice;
        else M.IommuRemove(index);
        ev.Result = !waits;
    }

    private void IotlbEvict(int va)
    {
        ref TraceEvent ev = ref HardwareEvent(IommuAgent, TraceKind.IotlbEvict, va);
        ev.Mm = (sbyte)M.IommuMm;
        ev.Pfn = M.Iotlb[va].Pfn;
        M.Iotlb[va].Valid = false;
    }

    /// <summary>ATS invalidations waiting for outstanding translations whose pages have none left complete now; returns how many.</summary>
    private int CompleteDeviceInvalidations()
    {
        int completed = 0;
        for (int i = 0; i < M.IommuQueue.Length && M.IommuQueue[i].Kind != IommuCommandKind.None;)
        {
            ref IommuCommand cmd = ref M.IommuQueue[i];
            if (cmd.State == IommuCommandState.AwaitingDevice && !M.StaleRequestIn(cmd.First, cmd.Last))
            {
                M.IommuRemove(i);
                completed++;
                continue;
            }
            i++;
        }
        return completed;
    }

    private static int DropEntries(TlbEntry[] cache, int first, int last)
    {
        int dropped = 0;
        for (int va = first; va <= last; va++)
        {
            if (!cache[va].Valid) continue;
            cache[va].Valid = false;
            dropped++;
        }
        return dropped;
    }

    /// <summary>The step that queues a command of this kind under the kernel's driver (how the table names the command).</summary>
    internal StepId CommandStep(IommuCommandKind kind) => (Kernel.Knobs.Iommu, kind) switch
    {
        (IommuDriver.IntelSvm, IommuCommandKind.IotlbPages) => StepId.QI_EIOTLB,
        (IommuDriver.IntelSvm, _) => StepId.QI_DEIOTLB,
        (_, IommuCommandKind.IotlbPages) => StepId.build_inv_iommu_pasid,
        _ => StepId.build_inv_iotlb_pasid,
    };

    private ref TraceEvent HardwareEvent(int agent, TraceKind kind, int va)
    {
        ref TraceEvent ev = ref Trace.Append();
        ev.Tick = Tick;
        ev.Agent = (byte)agent;
        ev.Kind = kind;
        ev.Va = (sbyte)va;
        return ref ev;
    }
}
