using Fuzz.Model.Oracles;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Oracles;

public class LostWriteOracleTests
{
    // A is mapped read-only (as after a fork, the other mapping in mm1). CPU0's write fault copies
    // A, then CPU1's whole CoW and store run in the same mm; then CPU0 installs its copy.
    private const string RacingCow = """
        cpus 2
        pages 1
        page mm0 A 5 ro
        page mm1 A shared mm0 A
        cpu 0 mm0: store A 1
        cpu 1 mm0: store A 7
        schedule: CPU0*11 CPU1*25 CPU0*14
        """;

    [Fact]
    public void Fires_when_a_cow_copy_replaces_a_newer_page_because_pte_same_was_not_rechecked()
    {
        var r = TestKit.Run(RacingCow, TestKit.Variant("remove wp_page_copy pte_same"));
        Fires(r, OracleId.LostWrite);
        Assert.True(r.Sim.Violations.TryGet(OracleId.LostWrite, out Violation v));
        Assert.Equal(7, v.Value);
    }

    [Fact]
    public void Quiet_when_pte_same_sends_the_late_copier_back()
    {
        Coherent(TestKit.Run(RacingCow));
    }
}
