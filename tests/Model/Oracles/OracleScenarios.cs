using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Model.Oracles;

/// <summary>Assertions shared by the oracle tests: which oracle a replay violated, shown with its table on failure.</summary>
internal static class OracleScenarios
{
    /// <summary>
    /// v4.14's zap_page_range() flushes the whole range right after zapping it (4647706ebeee), which
    /// hides what the mmu_gather defers; tests of the gather's own ordering remove that flush.
    /// </summary>
    public const string NoRangeFlush = "remove zap_page_range flush_tlb_range";

    public static void Fires(ReplayResult r, OracleId oracle)
    {
        Followed(r);
        Assert.True(r.Violates(oracle), $"expected a {OracleNames.Name(oracle)} violation\n{TestKit.Show(r)}");
    }

    public static void Coherent(ReplayResult r)
    {
        Followed(r);
        Assert.True(r.Coherent, $"expected a coherent run\n{TestKit.Show(r)}");
    }

    public static void Quiet(ReplayResult r, OracleId oracle)
    {
        Followed(r);
        Assert.False(r.Violates(oracle), $"{OracleNames.Name(oracle)} fired where it must not\n{TestKit.Show(r)}");
    }

    /// <summary>A stated verdict means something only if the kernel took the schedule as written.</summary>
    public static void Followed(ReplayResult r)
    {
        Assert.True(r.FollowedSchedule, $"the schedule no longer fits the kernel: {TestKit.Misfit(r)}\n{TestKit.Show(r)}");
    }
}
