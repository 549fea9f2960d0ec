using CsCheck;
using Fuzz.Formats.Scenarios;
using Fuzz.Generators.CsCheck;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Search.Shrinking;

namespace Fuzz.Properties;

/// <summary>
/// The same properties through CsCheck, whose environment variables scale them: for instance
/// CsCheck_Time=600 dotnet test tests/Properties --filter CsCheck runs ten minutes, and
/// CsCheck_Seed=... replays the seed a failure printed.
/// </summary>
public class CsCheckProperties
{
    [Fact]
    public void CsCheck_fixed_kernel_satisfies_every_oracle()
    {
        new CsCheckScenarios(GeneratorSettings.Default, KernelDefinition.FixedName).Sample(s =>
        {
            ReplayResult r = Replayer.Run(s, Harness.Fixed);
            if (!r.Coherent) throw Harness.Failure(nameof(CsCheck_fixed_kernel_satisfies_every_oracle), 0, s, r);
        }, iter: Check.Iter == 100 ? 2000 : -1);
    }

    [Fact]
    public void CsCheck_finds_seed_b_and_the_shrinker_reduces_it_to_the_race()
    {
        KernelDefinition seedB = Harness.Kernel("seed-b");
        Scenario? failing = null;
        var e = Assert.ThrowsAny<Exception>(() =>
            new CsCheckScenarios(GeneratorSettings.Default, "seed-b").Sample(s =>
            {
                bool ok = !Replayer.Run(s, seedB).Violates(OracleId.Linearizability);
                if (!ok) failing = s;
                return ok;
            }, seed: "0000000000000001", iter: 30_000, threads: 1));
        Assert.Contains("Set seed", e.Message);
        Assert.NotNull(failing);
        Scenario shrunk = new Shrinker(seedB, OracleId.Linearizability).Shrink(failing);
        // The race needs the device's read and two writes to the page it read; and the result is
        // 1-minimal: no single simplification still fails.
        Assert.Equal([OpKind.DmaRead], shrunk.DeviceProgram()!.Ops.Select(o => o.Kind));
        Assert.True(shrunk.Programs.Where(p => p.Kind == AgentKind.Cpu).SelectMany(p => p.Ops).Count(o => OpKinds.HasValue(o.Kind)) >= 2);
        Assert.True(Replayer.Run(shrunk, seedB).Violates(OracleId.Linearizability));
        foreach (Scenario candidate in ShrinkCandidates.Of(shrunk, seedB))
        {
            bool fails;
            try
            {
                fails = Replayer.Run(candidate, seedB).Violates(OracleId.Linearizability);
            }
            catch (ModelLimitException)
            {
                fails = false;
            }
            Assert.False(fails, $"not 1-minimal:\n{ScenarioWriter.Write(candidate)}");
        }
    }
}
