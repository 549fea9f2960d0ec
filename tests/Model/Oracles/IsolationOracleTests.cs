using Fuzz.Model.Oracles;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Oracles;

public class IsolationOracleTests
{
    // CPU1 caches A writable, CPU0 forks, then CPU1 stores again.
    private const string StoreAfterFork = """
        cpus 2
        pages 1
        page mm0 A 5 rw
        cpu 0 mm0: fork
        cpu 1 mm0: store A 6; store A 7
        schedule: CPU1 CPU0*16 CPU1
        """;

    [Fact]
    public void Fires_when_a_stale_writable_entry_writes_into_a_page_the_child_shares()
    {
        Fires(TestKit.Run(StoreAfterFork, TestKit.Variant("remove fork flush_tlb_mm")), OracleId.Isolation);
    }

    [Fact]
    public void Quiet_when_fork_flushed_and_the_store_breaks_cow()
    {
        Coherent(TestKit.Run(StoreAfterFork));
    }

    [Fact]
    public void Quiet_for_a_store_through_a_stale_entry_while_the_fork_is_still_copying()
    {
        // CPU1 stores 7 after ptep_set_wrprotect, before flush_tlb_mm: the child's copy of A may
        // be taken at any instant of the fork, so this is not a breach.
        const string midFork = """
            cpus 2
            pages 1
            page mm0 A 5 rw
            cpu 0 mm0: fork
            cpu 1 mm0: store A 6; store A 7
            schedule: CPU1 CPU0*9 CPU1
            """;
        Coherent(TestKit.Run(midFork));
    }

    [Fact]
    public void Fires_when_a_write_lands_in_the_zero_page()
    {
        // A read fault that maps the zero page writable (maybe_mkwrite after my_zero_pfn).
        const string zero = """
            cpus 1
            pages 1
            cpu 0 mm0: load A; store A 3
            schedule:
            """;
        Fires(TestKit.Run(zero, TestKit.Variant("insert do_anonymous_page maybe_mkwrite after my_zero_pfn")), OracleId.Isolation);
        Coherent(TestKit.Run(zero));
    }

    [Fact]
    public void A_stale_read_of_the_initial_value_is_not_called_a_leak_when_the_other_process_also_wrote_it()
    {
        // Seed (b): the device reads A's old page after CPU1's store completed. The value it reads,
        // 1, is A's initial value in mm0 as well as what CPU2 later stores in mm1 (which shares
        // the page): stale, but mm0's own, so linearizability, not isolation.
        const string staleInitial = """
            cpus 3
            pages 1
            device mm0
            page mm0 A 1 rw
            page mm1 A shared mm0 A
            cpu 0 mm0: store A 2
            cpu 1 mm0: store A 3
            cpu 2 mm1: store A 1
            device: dma_read A
            schedule: DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*17
            """;
        Fires(TestKit.Run(staleInitial, TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range")), OracleId.Linearizability);
        Coherent(TestKit.Run(staleInitial));
    }

    // CPU1 (mm0) caches A; CPU0's MADV_DONTNEED frees A's frame before flushing; CPU2, in another
    // process, faults B in and gets that frame; CPU1 then loads A through its stale entry.
    private const string ReusedByOtherProcess = """
        cpus 3
        pages 2
        page mm0 A 5 rw
        cpu 0 mm0: madvise_dontneed A
        cpu 1 mm0: load A; load A
        cpu 2 mm1: store B 9
        schedule: CPU1 CPU0*11 CPU2*9 CPU1
        """;

    [Fact]
    public void A_stale_access_to_a_frame_another_process_now_owns_is_isolation_and_use_after_free()
    {
        var r = TestKit.Run(ReusedByOtherProcess, TestKit.Variant(NoRangeFlush, "move tlb_flush_mmu tlb_flush_mmu_free before tlb_flush_mmu_tlbonly"));
        Fires(r, OracleId.Isolation);
        Fires(r, OracleId.UseAfterFree);
        Assert.True(r.Sim.Violations.TryGet(OracleId.Isolation, out Violation v));
        Assert.Equal(ViolationCode.StaleAccessOtherMm, v.Code);
        Assert.Equal(1, v.OtherMm);
        Assert.Equal(1, v.OtherVa);
        Assert.Equal(9, v.Value); // CPU1 read mm1's data
    }

    [Fact]
    public void A_stale_access_to_a_frame_reused_in_the_same_process_is_use_after_free_only()
    {
        var r = TestKit.Run(ReusedByOtherProcess.Replace("cpu 2 mm1:", "cpu 2 mm0:"), TestKit.Variant(NoRangeFlush, "move tlb_flush_mmu tlb_flush_mmu_free before tlb_flush_mmu_tlbonly"));
        Fires(r, OracleId.UseAfterFree);
        Quiet(r, OracleId.Isolation);
    }
}
