using Fuzz.Model.Oracles;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Oracles;

public class UseAfterFreeOracleTests
{
    // CPU1 caches A; CPU0's MADV_DONTNEED runs up to freeing the gathered page; CPU1 loads A.
    private const string LoadDuringZap = """
        cpus 2
        pages 1
        page mm0 A 5 rw
        cpu 0 mm0: madvise_dontneed A
        cpu 1 mm0: load A; load A
        schedule: CPU1 CPU0*11 CPU1
        """;

    [Fact]
    public void Fires_when_a_cpu_reads_a_frame_freed_before_the_tlb_flush()
    {
        var r = TestKit.Run(LoadDuringZap, TestKit.Variant(NoRangeFlush, "move tlb_flush_mmu tlb_flush_mmu_free before tlb_flush_mmu_tlbonly"));
        Fires(r, OracleId.UseAfterFree);
    }

    [Fact]
    public void Fires_when_the_freed_frame_was_handed_out_again()
    {
        const string reuse = """
            cpus 3
            pages 2
            page mm0 A 5 rw
            cpu 0 mm0: madvise_dontneed A
            cpu 1 mm0: load A; load A
            cpu 2 mm0: store B 9
            schedule: CPU1 CPU0*11 CPU2*9 CPU1
            """;
        var r = TestKit.Run(reuse, TestKit.Variant(NoRangeFlush, "move tlb_flush_mmu tlb_flush_mmu_free before tlb_flush_mmu_tlbonly"));
        Fires(r, OracleId.UseAfterFree);
        Assert.True(r.Sim.Violations.TryGet(OracleId.UseAfterFree, out Violation v));
        Assert.Equal(ViolationCode.AccessReusedFrame, v.Code);
    }

    [Fact]
    public void Quiet_when_pages_are_freed_after_the_flush()
    {
        Coherent(TestKit.Run(LoadDuringZap));
    }
}
