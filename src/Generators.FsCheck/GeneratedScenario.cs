using Fuzz.Formats.Scenarios;
using Fuzz.Model.Scenarios;

namespace Fuzz.Generators.FsCheck;

/// <summary>A generated scenario with the seed that produced it; prints as its scenario file, so a failure reads like one.</summary>
public sealed record GeneratedScenario(ulong Seed, Scenario Scenario)
{
    public override string ToString() =>
        $"scenario seed {Seeds.Format(Seed)}\n{ScenarioWriter.Write(Scenario)}";
}
