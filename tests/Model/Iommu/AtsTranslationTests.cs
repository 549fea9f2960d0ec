using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Iommu.IommuScenarios;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Iommu;

/// <summary>
/// ATS as a request, the IOMMU's walk and a completion the device caches, and the PCIe rule: a
/// completion an invalidation may have made stale is discarded, and the invalidation completes
/// only after the translations outstanding when it arrived.
/// </summary>
public class AtsTranslationTests
{
    [Fact]
    public void A_translation_is_a_request_a_walk_that_fills_the_iotlb_and_a_completion_the_device_caches()
    {
        var r = TestKit.Run("""
            cpus 1
            pages 1
            device mm0
            page mm0 A 5 rw
            device: dma_read A
            schedule: DEV DEV IOMMU.walk:A DEV DEV
            """);
        Coherent(r);
        TraceEvent[] e = Events(r);
        int miss = IndexOf(e, x => x.Step == StepId.dma_access && !x.Result);
        int request = IndexOf(e, x => x.Step == StepId.ats_translation_request, miss);
        int walk = IndexOf(e, x => x.Kind == TraceKind.IommuWalk && x.Result && x.Value == 0, request);
        int completion = IndexOf(e, x => x.Step == StepId.ats_translation_completion && AtsOutcomes.Outcome(x.Detail) == AtsOutcome.Cached, walk);
        int dma = IndexOf(e, x => x.Step == StepId.dma_access && x.Result, completion);
        Assert.True(miss >= 0 && request > miss && walk > request && completion > walk && dma > completion, TestKit.Show(r));
        // Each step on its own tick: a PTE change or an invalidation can fall between any two.
        Assert.True(e[miss].Tick < e[request].Tick && e[request].Tick < e[walk].Tick && e[walk].Tick < e[completion].Tick);
        Assert.Equal(r.Sim.IommuAgent, e[walk].Agent);
        MachineState m = r.Sim.M;
        Assert.True(m.Iotlb[0].Valid && m.Atc[0].Valid);
        Assert.Equal(m.PteAt(0, 0).Pfn, m.Atc[0].Pfn);
        Assert.Equal(5, e[dma].Value);
    }

    [Fact]
    public void A_completion_walked_before_an_invalidation_arrived_is_discarded_and_the_device_asks_again()
    {
        // The device's request for A is walked (pfn 1); CPU0 zaps A; its ATS invalidation reaches
        // the device while the completion is in flight. The device discards it, asks again, finds
        // no translation and faults A in through PRI.
        var r = TestKit.Run(ReadDuringZap("DEV DEV IOMMU.walk:A CPU0*11 IOMMU.cmd CPU0*2 IOMMU.cmd DEV CPU0"));
        Coherent(r);
        TraceEvent[] e = Events(r);
        int invalidation = IndexOf(e, x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iotlb_pasid);
        Assert.False(e[invalidation].Result, "the ATS invalidation waits for the outstanding translation");
        int discarded = IndexOf(e, x => x.Step == StepId.ats_translation_completion && AtsOutcomes.Outcome(x.Detail) == AtsOutcome.Discarded, invalidation);
        Assert.True(discarded > invalidation, TestKit.Show(r));
        Assert.Equal(1, e[discarded].Value);
        Assert.True(IndexOf(e, x => x.Step == StepId.pri_page_request, discarded) > discarded, TestKit.Show(r));
    }

    [Fact]
    public void The_invalidation_completes_only_after_the_translation_outstanding_when_it_arrived()
    {
        var sim = new Simulator(TestKit.Fixed, TestKit.Scenario(ReadDuringZap("")));
        int dev = sim.DeviceAgent, iommu = sim.IommuAgent;
        Take(sim, SchedAction.Step(dev), SchedAction.Step(dev), SchedAction.Walk(iommu, 0));
        for (int i = 0; i < 11; i++) Take(sim, SchedAction.Step(0));
        Take(sim, SchedAction.Command(iommu, 0), SchedAction.Step(0), SchedAction.Step(0), SchedAction.Command(iommu, 0));
        // CPU0 waits in __flush_pasid's second domain_flush_complete; the command waits for the device.
        Assert.False(sim.IsEnabled(SchedAction.Step(0)));
        Assert.Equal(IommuCommandState.AwaitingDevice, sim.M.IommuQueue[0].State);
        Assert.True(sim.M.Ats[0].Stale);
        Take(sim, SchedAction.Step(dev));
        Assert.Equal(0, sim.M.IommuQueueCount());
        Assert.True(sim.IsEnabled(SchedAction.Step(0)));
        Assert.False(sim.M.Atc[0].Valid);
    }

    [Fact]
    public void Without_the_pcie_rule_the_stale_completion_is_cached_and_caught()
    {
        // The same race on a device that caches stale completions: no invalidation waits for it, the
        // zap frees the page while the completion is in flight, the device caches and reads it.
        var r = TestKit.Run(ReadDuringZap("DEV DEV IOMMU.walk:A CPU0*11 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*5 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*2"),
            TestKit.Variant("set ats_stale_completions cache"));
        Fires(r, OracleId.Accounting);
        Assert.True(r.Sim.Violations.TryGet(OracleId.Accounting, out Violation v));
        Assert.Equal(ViolationCode.FreedWhileCached, v.Code);
        Assert.True(v.InFlight);
        Assert.Equal(r.Sim.DeviceAgent, v.OtherAgent);
        Assert.True(r.Violates(OracleId.UseAfterFree), TestKit.Show(r));
        // The PCIe rule is what prevents it: under it the zap waits for the device, so this schedule does not fit.
        Assert.False(TestKit.Run(ReadDuringZap("DEV DEV IOMMU.walk:A CPU0*11 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*5")).FollowedSchedule);
    }

    [Fact]
    public void A_speculative_request_is_hardware_and_its_completion_is_taken_before_a_demand_request_of_the_page()
    {
        var sim = new Simulator(TestKit.Fixed, TestKit.Scenario(ReadDuringZap("")));
        int dev = sim.DeviceAgent, iommu = sim.IommuAgent;
        Take(sim, SchedAction.AtsRequest(dev, 0), SchedAction.Step(dev));
        // The device's own access missed; its request for A waits for the speculative one.
        Assert.False(sim.IsEnabled(SchedAction.Step(dev)));
        Assert.False(sim.IsEnabled(SchedAction.AtsRequest(dev, 0)));
        Take(sim, SchedAction.Walk(iommu, 0), SchedAction.Complete(dev, 0));
        Assert.True(sim.M.Atc[0].Valid);
        // Nothing new to ask for: the ATC already holds what the IOMMU would answer.
        Assert.False(sim.IsEnabled(SchedAction.AtsRequest(dev, 0)));
        // The device's access still sends its own request (it had already missed), now answered afresh.
        Take(sim, SchedAction.Step(dev));
        Assert.Equal(AtsState.Pending, sim.M.Ats[0].State);
        Assert.True(sim.M.Ats[0].Demand);
    }
}
