using CsCheck;

namespace Fuzz.Generators.CsCheck;

/// <summary>
/// The scenario space as a CsCheck generator: CsCheck's PCG draws a scenario seed, and
/// <see cref="ScenarioGenerator"/> builds the scenario from <see cref="PcgChoices"/> of that seed, as
/// the fuzz runner does, so a failure's seed regenerates it with 'fuzz run --scenario-seed'. The
/// size (operations, then schedule length) lets CsCheck's own shrinking prefer smaller failing
/// scenarios. Its environment variables (CsCheck_Iter, CsCheck_Time, CsCheck_Seed, CsCheck_Threads)
/// scale a property up or replay a seed.
/// </summary>
public sealed class CsCheckScenarios(GeneratorSettings settings, string kernelRef) : Gen<GeneratedScenario>
{
    public override GeneratedScenario Generate(PCG pcg, Size? min, out Size size)
    {
        GeneratedScenario g = GeneratedScenario.Of(pcg.Next64(), settings, kernelRef);
        size = new Size((ulong)g.Scenario.OperationCount, new Size((ulong)g.Scenario.Schedule.Count));
        return g;
    }
}
