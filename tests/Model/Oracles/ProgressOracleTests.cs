using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Oracles;

public class ProgressOracleTests
{
    private const string TwoZaps = """
        cpus 2
        pages 1
        page mm0 A 5 rw
        cpu 0 mm0: madvise_dontneed A
        cpu 1 mm0: madvise_dontneed A
        schedule:
        """;

    [Fact]
    public void Fires_on_a_deadlock_and_names_the_waiter_and_the_holder()
    {
        var r = TestKit.Run(TwoZaps, TestKit.Variant("remove zap_pte_range pte_unmap_unlock#1"));
        Fires(r, OracleId.Progress);
        Assert.True(r.Sim.Violations.TryGet(OracleId.Progress, out Violation v));
        Assert.Equal(ViolationCode.Deadlock, v.Code);
        Assert.Equal(1, v.Agent);
        Assert.Equal(StepId.pte_offset_map_lock, v.Step);
        Assert.Equal(0, v.OtherAgent);
    }

    [Fact]
    public void Fires_on_an_endless_fault_loop()
    {
        const string load = """
            cpus 1
            pages 1
            cpu 0 mm0: load A
            schedule:
            """;
        var r = TestKit.Run(load, TestKit.Variant("remove do_anonymous_page set_pte_at"));
        Fires(r, OracleId.Progress);
        Assert.True(r.Sim.Violations.TryGet(OracleId.Progress, out Violation v));
        Assert.Equal(ViolationCode.FaultLoop, v.Code);
    }

    [Fact]
    public void Quiet_for_the_fixed_kernel()
    {
        Coherent(TestKit.Run(TwoZaps));
    }
}
