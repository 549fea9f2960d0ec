using FsCheck.Xunit;
using FsCheck;
using Fuzz.Generators.FsCheck;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Simulation;

namespace Fuzz.Properties;

/// <summary>FsCheck's Arbitrary for scenarios against the fixed kernel (kernels/v4.14-fixed.kernel), registered for [Property].</summary>
public static class FixedKernelScenarios
{
    public static Arbitrary<GeneratedScenario> Scenarios() =>
        FsCheckScenarios.Arbitrary(GeneratorSettings.Default, KernelDefinition.FixedName, Harness.Fixed);
}

/// <summary>The same space with every kernel thread and the device in every scenario: KSM, reclaim and migration racing everything.</summary>
public static class KernelThreadScenarios
{
    public static readonly GeneratorSettings Settings = GeneratorSettings.Default with
    {
        KsmdPercent = 100,
        KswapdPercent = 100,
        KcompactdPercent = 100,
        DevicePercent = 100,
        PageSwappedWeight = 20,
        DuplicateValuePercent = 40,
    };

    public static Arbitrary<GeneratedScenario> Scenarios() =>
        FsCheckScenarios.Arbitrary(Settings, KernelDefinition.FixedName, Harness.Fixed);
}

public class FixedKernelProperties
{
    /// <summary>
    /// The fixed kernel keeps every oracle over generated scenarios. A failure is shrunk by FsCheck
    /// with the structural shrinker, saved to tests/Regressions, and reported with its replay line
    /// (FsCheck also prints its own Replay seed for [Property(Replay = ...)]).
    /// </summary>
    [Property(Arbitrary = [typeof(FixedKernelScenarios)], MaxTest = 3000, QuietOnSuccess = true)]
    public void Fixed_kernel_satisfies_every_oracle(GeneratedScenario g)
    {
        ReplayResult r = Replayer.Run(g.Scenario, Harness.Fixed);
        if (!r.Coherent) throw Harness.Failure(nameof(Fixed_kernel_satisfies_every_oracle), g.Seed, g.Scenario, r);
    }

    /// <summary>Every operation mixed, with ksmd, kswapd, kcompactd and the device always present.</summary>
    [Property(Arbitrary = [typeof(KernelThreadScenarios)], MaxTest = 3000, QuietOnSuccess = true)]
    public void Fixed_kernel_satisfies_every_oracle_with_every_kernel_thread(GeneratedScenario g)
    {
        ReplayResult r = Replayer.Run(g.Scenario, Harness.Fixed);
        if (!r.Coherent) throw Harness.Failure(nameof(Fixed_kernel_satisfies_every_oracle_with_every_kernel_thread), g.Seed, g.Scenario, r);
    }
}
