using Fuzz.Model.Oracles;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Iommu;

/// <summary>
/// The oracles count the IOMMU's IOTLB as a cache of the device's translations: a stale IOTLB entry
/// refills the ATC, so it is stale at MADV_DONTNEED's return and it keeps a freed page cached.
/// </summary>
public class IommuOracleTests
{
    private const string CachedThenZapped = """
        cpus 1
        pages 1
        device mm0
        page mm0 A 5 rw
        cpu 0 mm0: madvise_dontneed A
        schedule: DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*12 IOMMU.cmd CPU0*6 IOMMU.cmd CPU0*4
        """;

    /// <summary>__flush_pasid without INVALIDATE_IOMMU_PAGES: the ATC is invalidated, the IOTLB keeps A.</summary>
    private static readonly Fuzz.Model.Kernel.KernelDefinition NoIotlbFlush = TestKit.Variant("remove __flush_pasid build_inv_iommu_pasid");

    [Fact]
    public void A_stale_iotlb_entry_keeps_a_freed_page_cached()
    {
        var r = TestKit.Run(CachedThenZapped, NoIotlbFlush);
        Fires(r, OracleId.Accounting);
        Assert.True(r.Sim.Violations.TryGet(OracleId.Accounting, out Violation v));
        Assert.Equal(ViolationCode.FreedWhileCached, v.Code);
        Assert.Equal(r.Sim.IommuAgent, v.OtherAgent);
        Assert.False(r.Sim.M.Atc[0].Valid, "the device's own ATC was invalidated; only the IOTLB holds A");
    }

    [Fact]
    public void A_stale_iotlb_entry_at_madvise_dontneed_return_is_a_stale_translation()
    {
        var r = TestKit.Run(CachedThenZapped, NoIotlbFlush);
        Fires(r, OracleId.StaleTlb);
        Assert.True(r.Sim.Violations.TryGet(OracleId.StaleTlb, out Violation v));
        Assert.Equal(r.Sim.IommuAgent, v.OtherAgent);
        Assert.False(v.InFlight);
    }

    [Fact]
    public void Quiet_when_both_caches_are_invalidated()
    {
        var r = TestKit.Run(CachedThenZapped.Replace("CPU0*12 IOMMU.cmd CPU0*6 IOMMU.cmd CPU0*4",
            "CPU0*11 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*5 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*4"));
        Coherent(r);
        Assert.False(r.Sim.M.Iotlb[0].Valid || r.Sim.M.Atc[0].Valid);
    }
}
