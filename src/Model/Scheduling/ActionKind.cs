namespace Fuzz.Model.Scheduling;

/// <summary>
/// What a scheduler choice does. <see cref="Step"/>, <see cref="Walk"/>, <see cref="Command"/> and
/// <see cref="Complete"/> make progress (the run goes on while one is enabled, and the default
/// policy takes them); the rest are hardware's optional choices (speculation and eviction), which a
/// correct kernel must survive in any number and order.
/// </summary>
public enum ActionKind : byte
{
    /// <summary>The agent runs its next step.</summary>
    Step,
    /// <summary>Hardware fills a CPU TLB entry from the PTE (a speculative page walk).</summary>
    Fill,
    /// <summary>Hardware drops a CPU TLB entry or (agent: the device) an ATC entry.</summary>
    Evict,
    /// <summary>The device sends a speculative ATS Translation Request for the page.</summary>
    AtsRequest,
    /// <summary>The device takes the Translation Completion of its speculative request for the page.</summary>
    Complete,
    /// <summary>The IOMMU answers the outstanding translation request for the page (IOTLB, or a page walk without any kernel lock).</summary>
    Walk,
    /// <summary>The IOMMU executes a queued invalidation command; Va is its position among the commands not yet executed (0 = oldest).</summary>
    Command,
    /// <summary>The IOMMU drops an IOTLB entry.</summary>
    IotlbEvict,
}
