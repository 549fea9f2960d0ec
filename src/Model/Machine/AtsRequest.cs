namespace Fuzz.Model.Machine;

/// <summary>Where an ATS Translation Request for one page stands.</summary>
public enum AtsState : byte
{
    /// <summary>No request outstanding for the page.</summary>
    None,
    /// <summary>The device sent the Translation Request; the IOMMU has not answered it yet.</summary>
    Pending,
    /// <summary>The IOMMU answered (from its IOTLB or by walking the page table); the Translation
    /// Completion is on its way back and the device has not taken it yet.</summary>
    Answered,
}

/// <summary>
/// The device's outstanding ATS Translation Request for one page, and once the IOMMU has answered,
/// the Translation Completion in flight. One per page: a device does not ask twice for a page it is
/// already waiting on, and a demand access waits for a speculative request of the same page to
/// complete. Kept per page (not as a queue) so that the state stays a few bits per page.
/// </summary>
public struct AtsRequest
{
    public AtsState State;
    /// <summary>A write request (No Write clear): the IOMMU grants write, setting D, or answers nothing.</summary>
    public bool Write;
    /// <summary>The device's own access waits for it (its recipe takes the completion as a step);
    /// otherwise a speculative request whose completion is a hardware action.</summary>
    public bool Demand;
    /// <summary>An ATS Invalidate Request covering the page arrived while the request was
    /// outstanding: PCIe ATS 10.1.1, "a Function is required to discard Translation Completions that
    /// might be 'stale'".</summary>
    public bool Stale;
    /// <summary>The answer came from the IOMMU's IOTLB rather than a page walk.</summary>
    public bool FromIotlb;
    /// <summary>The translation the completion carries (Valid false: no translation, the device
    /// falls back to PRI); Generation and PteVersion are those of the walk that produced it.</summary>
    public TlbEntry Answer;
}
