namespace Fuzz.Model.Trace;

public enum TraceKind : byte
{
    /// <summary>A recipe step ran (shared: it had its own tick; local: it ran in the same tick).</summary>
    Step,
    /// <summary>Hardware filled a CPU TLB entry.</summary>
    Fill,
    /// <summary>Hardware evicted a CPU TLB or (the device's) ATC entry.</summary>
    Evict,
    /// <summary>An operation was called.</summary>
    OpBegin,
    /// <summary>An operation returned.</summary>
    OpEnd,
    /// <summary>The device sent a speculative ATS Translation Request (Va).</summary>
    AtsRequest,
    /// <summary>The device took the completion of a speculative request: Detail packs the
    /// <see cref="Simulation.AtsOutcome"/> and the permission (<see cref="Simulation.AtsOutcomes"/>), Pfn is the
    /// translation, Value the ATS invalidations whose completion it released.</summary>
    AtsCompletion,
    /// <summary>The IOMMU answered a translation request: Result granted, Pfn and Detail (writable)
    /// the translation, Value 1 when it came from the IOTLB.</summary>
    IommuWalk,
    /// <summary>The IOMMU executed a queued command: Step names the command (the step that queues
    /// it), Va..Value its pages, Detail the entries it dropped, Op the agent that queued it, Result
    /// whether it completed at once (an ATS invalidation may wait for outstanding translations).</summary>
    IommuCommand,
    /// <summary>The IOMMU evicted an IOTLB entry.</summary>
    IotlbEvict,
}
