using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Model.Oracles;

/// <summary>Assertions shared by the oracle tests: which oracle a replay violated, shown with its table on failure.</summary>
internal static class OracleScenarios
{
    public static void Fires(ReplayResult r, OracleId oracle)
    {
        Assert.True(r.Violates(oracle), $"expected a {OracleNames.Name(oracle)} violation\n{TestKit.Show(r)}");
    }

    public static void Coherent(ReplayResult r)
    {
        Assert.True(r.Coherent, $"expected a coherent run\n{TestKit.Show(r)}");
    }

    public static void Quiet(ReplayResult r, OracleId oracle)
    {
        Assert.False(r.Violates(oracle), $"{OracleNames.Name(oracle)} fired where it must not\n{TestKit.Show(r)}");
    }
}
