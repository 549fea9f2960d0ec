using Fuzz.Model.Oracles;
using Fuzz.Tests.Model.Iommu;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Oracles;

/// <summary>Linearizability as the simulator feeds it: seed (b)'s device read after a completed store.</summary>
public class LinearizabilityOracleTests
{
    /// <summary>
    /// Seed (b) (<see cref="IommuScenarios.Cow"/>): the device caches A (a speculative ATS request,
    /// the IOMMU's walk, the completion), CPU0's CoW fault runs up to set_pte_at, CPU1 stores
    /// through the new page, the device reads.
    /// </summary>
    internal static string SeedB(string schedule) => IommuScenarios.Cow(schedule);

    internal const string CachedThenCow = "DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*12 CPU1 DEV";

    /// <summary>The same race under a kernel whose CoW invalidates: CPU0 waits in __flush_pasid while the IOMMU executes each command.</summary>
    private const string CachedThenInvalidatingCow = "DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*12 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*3 CPU1 DEV";

    [Fact]
    public void Fires_when_the_device_reads_the_old_page_after_a_cpu_store_completed()
    {
        var r = TestKit.Run(SeedB(CachedThenCow), TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range"));
        Fires(r, OracleId.Linearizability);
        Assert.True(r.Sim.Violations.TryGet(OracleId.Linearizability, out Violation v));
        Assert.Equal(r.Sim.DeviceAgent, v.Agent);
        Assert.Equal(0, v.Value);
        Assert.Equal(2, v.Expected);
        Assert.Equal(1, v.OtherAgent);
    }

    [Fact]
    public void Quiet_when_ptep_clear_flush_notify_invalidates_the_atc_under_the_ptl()
    {
        var r = TestKit.Run(SeedB(CachedThenInvalidatingCow));
        Coherent(r);
        // The device's entry was dropped under the PTL: its read missed and translated afresh.
        Assert.Contains(r.Sim.Trace.Events.ToArray(), e => e.Kind == Fuzz.Model.Trace.TraceKind.IommuCommand && e.Detail == 1
            && e.Step == Fuzz.Model.Kernel.StepId.build_inv_iotlb_pasid);
    }

    [Fact]
    public void Quiet_under_intel_svm_whose_change_pte_flushes_before_set_pte_at()
    {
        // The thread's point (d) the other way round: with intel-svm's change_pte callback,
        // set_pte_at_notify() alone invalidates the ATC while the PTE is still clear.
        var r = TestKit.Run(SeedB("DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*12 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*2 CPU1 DEV"),
            TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range", "set iommu intel_svm"));
        Coherent(r);
        // intel_change_pte's device-IOTLB invalidation dropped the entry before set_pte_at.
        Assert.Contains(r.Sim.Trace.Events.ToArray(), e => e.Kind == Fuzz.Model.Trace.TraceKind.IommuCommand && e.Detail == 1
            && e.Step == Fuzz.Model.Kernel.StepId.QI_DEIOTLB);
    }
}
