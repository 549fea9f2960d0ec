using Fuzz.Model.Oracles;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Oracles;

public class StaleTlbOracleTests
{
    private const string NestedMadvise = """
        cpus 2
        pages 1
        page mm0 A 5 rw
        cpu 0 mm0: madvise_dontneed A
        cpu 1 mm0: load A; madvise_dontneed A
        schedule: CPU1 CPU0*8 CPU1*10
        """;

    [Fact]
    public void Fires_when_madvise_returns_while_a_cpu_still_caches_the_zapped_page()
    {
        Fires(TestKit.Run(NestedMadvise, TestKit.Variant(NoRangeFlush, "remove tlb_finish_mmu mm_tlb_flush_nested")), OracleId.StaleTlb);
    }

    [Fact]
    public void Quiet_when_tlb_finish_mmu_forces_the_nested_flush()
    {
        Coherent(TestKit.Run(NestedMadvise));
    }

    private const string ForkWithWritableTlb = """
        cpus 2
        pages 1
        page mm0 A 5 rw
        cpu 0 mm0: fork
        cpu 1 mm0: store A 6
        schedule: CPU1 CPU0*15
        """;

    [Fact]
    public void Fires_when_fork_returns_with_a_writable_tlb_entry_for_a_now_shared_page()
    {
        Fires(TestKit.Run(ForkWithWritableTlb, TestKit.Variant("remove fork flush_tlb_mm")), OracleId.StaleTlb);
    }

    [Fact]
    public void Quiet_when_fork_flushes_the_parent_tlbs()
    {
        Coherent(TestKit.Run(ForkWithWritableTlb));
    }
}
