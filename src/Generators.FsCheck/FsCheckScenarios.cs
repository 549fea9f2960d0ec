using FsCheck.Fluent;
using FsCheck;
using Fuzz.Model.Kernel;
using Fuzz.Search.Shrinking;

namespace Fuzz.Generators.FsCheck;

/// <summary>
/// The scenario space as an FsCheck Arbitrary: FsCheck draws a scenario seed, <see cref="ScenarioGenerator"/>
/// builds the scenario from it (as 'fuzz run --scenario-seed' does), and shrinking is the structural
/// shrinker's candidate list (<see cref="ShrinkCandidates"/>), so FsCheck stops at a 1-minimal scenario.
/// </summary>
public static class FsCheckScenarios
{
    public static Arbitrary<GeneratedScenario> Arbitrary(GeneratorSettings settings, string kernelRef, KernelDefinition kernel)
    {
        Gen<ulong> seeds = Gen.Choose(0, int.MaxValue).SelectMany(
            _ => Gen.Choose(0, int.MaxValue),
            (hi, lo) => ((ulong)(uint)hi << 32) | (uint)lo);
        Gen<GeneratedScenario> scenarios = seeds.Select(seed => GeneratedScenario.Of(seed, settings, kernelRef));
        return Arb.From(scenarios, g => ShrinkCandidates.Of(g.Scenario, kernel).Select(s => g with { Scenario = s }));
    }
}
