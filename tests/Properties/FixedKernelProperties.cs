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

/// <summary>
/// The same space with every kernel thread and the device in every scenario: KSM, reclaim and
/// migration racing everything. The settings are the shipped settings/kernel-threads.settings, so a
/// failure's regenerate line can name that file.
/// </summary>
public static class KernelThreadScenarios
{
    public const string SettingsFile = "settings/kernel-threads.settings";

    public static GeneratorSettings Settings => GeneratorSettings.Load(Path.Combine(Harness.RepoRoot, SettingsFile));

    public static Arbitrary<GeneratedScenario> Scenarios() =>
        FsCheckScenarios.Arbitrary(Settings, KernelDefinition.FixedName, Harness.Fixed);
}

/// <summary>
/// Pinned seeds: each property replays one fixed FsCheck seed (Replay), so it checks the same 3,000
/// scenarios on every run and the suite's verdict cannot change from run to run. A longer or
/// random search of the same space is a campaign's job ('fuzz campaign'), or CsCheck's
/// (CsCheckProperties, with CsCheck_Time).
/// </summary>
public class FixedKernelProperties
{
    /// <summary>
    /// The fixed kernel keeps every oracle over generated scenarios (pinned FsCheck seed
    /// "(20171,4141)"). A failure is shrunk by FsCheck with the structural shrinker, saved to
    /// tests/Regressions, and reported with its replay and regenerate lines.
    /// </summary>
    [Property(Arbitrary = [typeof(FixedKernelScenarios)], MaxTest = 3000, QuietOnSuccess = true, Replay = "(20171,4141)")]
    public void Fixed_kernel_satisfies_every_oracle_pinned_seed_20171_4141(GeneratedScenario g)
    {
        ReplayResult r = Replayer.Run(g.Scenario, Harness.Fixed);
        if (!r.Coherent) throw Harness.Failure(nameof(Fixed_kernel_satisfies_every_oracle_pinned_seed_20171_4141), g.Seed, g.Scenario, r, settingsFile: null);
    }

    /// <summary>Every operation mixed, with ksmd, kswapd, kcompactd and the device always present (pinned FsCheck seed "(20172,4141)").</summary>
    [Property(Arbitrary = [typeof(KernelThreadScenarios)], MaxTest = 3000, QuietOnSuccess = true, Replay = "(20172,4141)")]
    public void Fixed_kernel_satisfies_every_oracle_with_every_kernel_thread_pinned_seed_20172_4141(GeneratedScenario g)
    {
        ReplayResult r = Replayer.Run(g.Scenario, Harness.Fixed);
        if (!r.Coherent)
            throw Harness.Failure(nameof(Fixed_kernel_satisfies_every_oracle_with_every_kernel_thread_pinned_seed_20172_4141), g.Seed, g.Scenario, r, KernelThreadScenarios.SettingsFile);
    }
}
