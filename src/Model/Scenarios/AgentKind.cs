namespace Fuzz.Model.Scenarios;

public enum AgentKind : byte
{
    /// <summary>A CPU running user threads of one mm: loads, stores, madvise, fork, O_DIRECT reads.</summary>
    Cpu,
    /// <summary>A PCIe device with ATS/PRI, behind an IOMMU bound to one mm (SVA).</summary>
    Device,
    /// <summary>The IOMMU driver's page-request worker (a kernel thread).</summary>
    PriWorker,
    /// <summary>ksmd: merges identical anonymous pages.</summary>
    Ksmd,
    /// <summary>kswapd: reclaims pages to swap.</summary>
    Kswapd,
    /// <summary>kcompactd: migrates pages.</summary>
    Kcompactd,
    /// <summary>
    /// The IOMMU itself (hardware, no program): its IOTLB, its page walks answering ATS translation
    /// requests, and the execution of the invalidation commands the driver queues. Present with a device.
    /// </summary>
    Iommu,
    /// <summary>
    /// The swap device: performs the swap bios reclaim and swap-in submit (its DMA reads or writes
    /// the page) and runs their completion (end_swap_bio_write, end_swap_bio_read). It has no
    /// program: like the PRI worker, it gets work when a bio is submitted.
    /// </summary>
    Disk,
}
