using Fuzz.Model.Oracles;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Oracles;

public class AccountingOracleTests
{
    private const string OneZap = """
        cpus 2
        pages 2
        page mm0 A 5 rw
        page mm0 B 6 rw
        cpu 0 mm0: madvise_dontneed A-B
        cpu 1 mm0: load A
        schedule: CPU1
        """;

    [Fact]
    public void Fires_when_a_zapped_page_is_never_queued_for_freeing()
    {
        var r = TestKit.Run(OneZap, TestKit.Variant("remove zap_pte_range __tlb_remove_page"));
        Fires(r, OracleId.Accounting);
        Assert.True(r.Sim.Violations.TryGet(OracleId.Accounting, out Violation v));
        Assert.Equal(ViolationCode.Leak, v.Code);
    }

    [Fact]
    public void Fires_when_a_page_is_freed_while_a_tlb_still_maps_it()
    {
        var r = TestKit.Run(OneZap, TestKit.Variant(NoRangeFlush, "move tlb_flush_mmu tlb_flush_mmu_free before tlb_flush_mmu_tlbonly"));
        Fires(r, OracleId.Accounting);
        Assert.True(r.Sim.Violations.TryGet(OracleId.Accounting, out Violation v));
        Assert.Equal(ViolationCode.FreedWhileCached, v.Code);
        Assert.Equal(1, v.OtherAgent);
    }

    [Fact]
    public void Fires_when_a_mapping_is_dropped_without_its_mapcount()
    {
        var r = TestKit.Run(OneZap, TestKit.Variant("remove zap_pte_range page_remove_rmap"));
        Fires(r, OracleId.Accounting);
    }

    [Fact]
    public void Quiet_for_the_fixed_kernel()
    {
        Coherent(TestKit.Run(OneZap));
    }
}
