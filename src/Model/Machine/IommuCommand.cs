namespace Fuzz.Model.Machine;

/// <summary>The invalidation commands the v4.14 SVA drivers queue to the IOMMU.</summary>
public enum IommuCommandKind : byte
{
    None,
    /// <summary>Flush the IOMMU's own TLB for the PASID's range: AMD INVALIDATE_IOMMU_PAGES
    /// (build_inv_iommu_pasid), Intel PASID-based IOTLB invalidation (QI_EIOTLB_TYPE).</summary>
    IotlbPages,
    /// <summary>Invalidate the device's ATC for the range by an ATS Invalidate Request: AMD
    /// INVALIDATE_IOTLB_PAGES (build_inv_iotlb_pasid), Intel device-IOTLB invalidation (QI_DEIOTLB_TYPE).</summary>
    DevicePages,
}

public enum IommuCommandState : byte
{
    /// <summary>In the command buffer / invalidation queue, not yet executed.</summary>
    Queued,
    /// <summary>An ATS Invalidate Request the device has received but not yet completed: it waits for
    /// the translation requests that were outstanding when it arrived.</summary>
    AwaitingDevice,
}

/// <summary>One queued invalidation command, with the agent whose completion wait covers it.</summary>
public struct IommuCommand
{
    public IommuCommandKind Kind;
    public IommuCommandState State;
    /// <summary>The agent that queued it (its domain_flush_complete / qi_submit_sync waits for it).</summary>
    public byte Issuer;
    /// <summary>The pages it covers, first and last inclusive.</summary>
    public sbyte First;
    public sbyte Last;
}
