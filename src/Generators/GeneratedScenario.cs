using Fuzz.Formats.Scenarios;
using Fuzz.Model.Scenarios;

namespace Fuzz.Generators;

/// <summary>
/// A generated scenario with the scenario seed that produced it: <c>fuzz run --scenario-seed SEED</c>
/// (with the same kernel and settings) regenerates it, because both the fuzz runner and the
/// FsCheck/CsCheck adapters build it with <see cref="ScenarioGenerator"/> over <see cref="PcgChoices"/>
/// of that seed. Prints as its scenario file, so a failure reads like one.
/// </summary>
public sealed record GeneratedScenario(ulong Seed, Scenario Scenario)
{
    public static GeneratedScenario Of(ulong seed, GeneratorSettings settings, string kernelRef) =>
        new(seed, ScenarioGenerator.Generate(new PcgChoices(seed), settings, kernelRef));

    public override string ToString() =>
        $"scenario seed {Seeds.Format(Seed)}\n{ScenarioWriter.Write(Scenario)}";
}
