using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Iommu.IommuScenarios;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Iommu;

/// <summary>
/// The SVA drivers' invalidation as v4.14 orders it, and the variants that break the order: the
/// IOMMU's TLB before the device's, a completion wait after each, and the notifier's range reaching
/// the driver (amd_iommu_v2 flushes the whole PASID for more than one page, intel-svm flushes an
/// aligned block that may miss the range's end).
/// </summary>
public class DriverInvalidationTests
{
    [Fact]
    public void Seed_b_still_violates_linearizability_through_the_two_caches()
    {
        var r = TestKit.Run(Cow("DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*12 CPU1 DEV"), TestKit.Kernel("seed-b"));
        Fires(r, OracleId.Linearizability);
        TraceEvent[] e = Events(r);
        // The race's steps: the device cached A, CPU0 set the new PTE, CPU1 stored through it, the
        // device read the old page through its ATC, and only then did range_end invalidate.
        int cached = IndexOf(e, x => x.Kind == TraceKind.AtsCompletion && x.Result);
        int set = IndexOf(e, x => x.Step == StepId.set_pte_at, cached);
        int dma = IndexOf(e, x => x.Step == StepId.dma_access && x.Result, set);
        int invalidate = IndexOf(e, x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iotlb_pasid);
        Assert.True(cached >= 0 && set > cached && dma > set && invalidate > dma, TestKit.Show(r));
        Assert.Equal(0, e[dma].Value);
    }

    [Fact]
    public void The_driver_flushes_the_iommu_tlb_then_the_device_tlb_waiting_for_each()
    {
        var r = TestKit.Run(Cow("DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*12 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*3 CPU1 DEV"));
        Coherent(r);
        TraceEvent[] e = Events(r);
        int iotlb = IndexOf(e, x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iommu_pasid);
        int wait = IndexOf(e, x => x.Step == StepId.domain_flush_complete, iotlb);
        int atc = IndexOf(e, x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iotlb_pasid, wait);
        int set = IndexOf(e, x => x.Step == StepId.set_pte_at, atc);
        Assert.True(iotlb >= 0 && wait > iotlb && atc > wait && set > atc, TestKit.Show(r));
        Assert.Equal(1, e[iotlb].Detail);
        Assert.Equal(1, e[atc].Detail);
    }

    [Fact]
    public void Invalidating_the_device_tlb_first_lets_the_stale_iotlb_refill_it()
    {
        // __flush_pasid with INVALIDATE_IOTLB_PAGES moved before INVALIDATE_IOMMU_PAGES: the device,
        // its ATC just invalidated, asks again and the IOMMU answers from its stale IOTLB entry.
        const string schedule = "DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*12 IOMMU.cmd DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0 IOMMU.cmd CPU0*4 CPU1 DEV";
        var r = TestKit.Run(Cow(schedule), TestKit.Kernel("iommu-device-tlb-first"));
        Fires(r, OracleId.Linearizability);
        TraceEvent[] e = Events(r);
        int atc = IndexOf(e, x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iotlb_pasid);
        int refill = IndexOf(e, x => x.Kind == TraceKind.IommuWalk && x.Value == 1, atc);
        int iotlb = IndexOf(e, x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iommu_pasid, refill);
        Assert.True(atc >= 0 && refill > atc && iotlb > refill, TestKit.Show(r));
        Assert.Equal(Limits.ZeroPfn, e[refill].Pfn);
    }

    [Fact]
    public void Dropping_the_wait_between_the_two_flushes_lets_the_iommu_execute_them_out_of_order()
    {
        // Without the first domain_flush_complete both commands are queued at once; the IOMMU may
        // execute the ATS invalidation first (IOMMU.cmd:2), and the refill from the IOTLB follows.
        const string schedule = "DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*13 IOMMU.cmd:2 DEV.ats:A IOMMU.walk:A DEV.complete:A IOMMU.cmd CPU0*3 CPU1 DEV";
        var r = TestKit.Run(Cow(schedule), TestKit.Kernel("iommu-no-iotlb-wait"));
        Fires(r, OracleId.Linearizability);
        TraceEvent[] e = Events(r);
        int atc = IndexOf(e, x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iotlb_pasid);
        Assert.True(IndexOf(e, x => x.Kind == TraceKind.IommuWalk && x.Value == 1, atc) > atc, TestKit.Show(r));
    }

    [Fact]
    public void A_driver_edit_can_be_limited_to_one_callers_path()
    {
        // __flush_pasid's last wait removed only when tlb_finish_mmu's invalidation calls it: the
        // zap's range_end still waits for the device's invalidation, tlb_finish_mmu's returns
        // before the IOMMU has executed it.
        KernelDefinition k = TestKit.Variant("remove __flush_pasid domain_flush_complete#2 in tlb_finish_mmu");
        var r = TestKit.Run(ReadDuringZap("CPU0*11 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*5 IOMMU.cmd CPU0*5"), k);
        Coherent(r);
        TraceEvent[] e = Events(r);
        int returned = IndexOf(e, x => x.Kind == TraceKind.OpEnd && x.Agent == 0);
        Assert.True(returned >= 0 && IndexOf(e, x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iotlb_pasid, returned) > returned, TestKit.Show(r));
        // Both waits of range_end's flush ran, one of tlb_finish_mmu's.
        Assert.Equal(3, e.Count(x => x.Kind == TraceKind.Step && x.Step == StepId.domain_flush_complete));
    }

    [Fact]
    public void Amd_flushes_the_whole_pasid_for_a_range_of_more_than_one_page()
    {
        const string cached = "DEV.ats:C IOMMU.walk:C DEV.complete:C";
        var range = TestKit.Run(ZapOfThree("A-B", cached));
        Coherent(range);
        TraceEvent whole = Events(range).First(x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iotlb_pasid);
        Assert.Equal((0, 2, 1), (whole.Va, whole.Value, whole.Detail));
        var page = TestKit.Run(ZapOfThree("A", cached));
        Coherent(page);
        TraceEvent one = Events(page).First(x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.build_inv_iotlb_pasid);
        Assert.Equal((0, 0, 0), (one.Va, one.Value, one.Detail));
        Assert.True(page.Sim.M.Atc[2].Valid);
    }

    [Fact]
    public void Intel_svm_in_v4_14_misses_the_end_of_a_range_whose_start_is_not_aligned()
    {
        // QI_EIOTLB at B with AM 1 covers A-B (the hardware masks the address's low bit); C stays in
        // the IOTLB while the zap frees its page. The device-IOTLB invalidation covers A-D.
        const string schedule = "DEV.ats:C IOMMU.walk:C DEV.complete:C CPU0*12 DEV CPU0 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*5 IOMMU.cmd CPU0*2 IOMMU.cmd CPU0*4";
        var r = TestKit.Run(ZapOfThree("B-C", schedule), TestKit.Kernel("v4.14-intel-psi"));
        Fires(r, OracleId.Accounting);
        Assert.True(r.Sim.Violations.TryGet(OracleId.Accounting, out Violation v));
        Assert.Equal((ViolationCode.FreedWhileCached, r.Sim.IommuAgent, 2), (v.Code, v.OtherAgent, v.Va));
        TraceEvent iotlb = Events(r).First(x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.QI_EIOTLB);
        Assert.Equal((0, 1), (iotlb.Va, iotlb.Value));
        TraceEvent atc = Events(r).First(x => x.Kind == TraceKind.IommuCommand && x.Step == StepId.QI_DEIOTLB);
        Assert.Equal((0, 2), (atc.Va, atc.Value));

        // With the covering block computed first (later kernels), the same schedule is coherent.
        var fixedRun = TestKit.Run(ZapOfThree("B-C", schedule), TestKit.Kernel("intel-svm"));
        Coherent(fixedRun);
        Assert.False(fixedRun.Sim.M.Iotlb[2].Valid);
    }
}
