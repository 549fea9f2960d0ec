using Fuzz.Model.Oracles;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Oracles;

/// <summary>Linearizability as the simulator feeds it: seed (b)'s device read after a completed store.</summary>
public class LinearizabilityOracleTests
{
    internal const string SeedB = """
        cpus 2
        pages 1
        device mm0
        page mm0 A zero
        cpu 0 mm0: store A 1
        cpu 1 mm0: store A 2
        device: dma_read A
        schedule: DEV.fill:A CPU0*15 CPU1 DEV
        """;

    [Fact]
    public void Fires_when_the_device_reads_the_old_page_after_a_cpu_store_completed()
    {
        var r = TestKit.Run(SeedB, TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range"));
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
        Coherent(TestKit.Run(SeedB));
    }

    [Fact]
    public void Quiet_under_intel_svm_whose_change_pte_flushes_before_set_pte_at()
    {
        // The thread's point (d) the other way round: with intel-svm's change_pte callback,
        // set_pte_at_notify() alone invalidates the ATC while the PTE is still clear.
        var r = TestKit.Run(SeedB, TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range", "set iommu intel_svm"));
        Coherent(r);
    }
}
