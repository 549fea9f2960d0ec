namespace Fuzz.Model.Scenarios;

public enum AgentKind : byte
{
    /// <summary>A CPU running user threads of one mm: loads, stores, madvise, fork.</summary>
    Cpu,
    /// <summary>A PCIe device with ATS/PRI, behind an IOMMU bound to one mm (SVA).</summary>
    Device,
    /// <summary>The IOMMU driver's page-request worker (a kernel thread).</summary>
    PriWorker,
}
