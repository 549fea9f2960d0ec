using CsCheck;
using Fuzz.Model.Scenarios;

namespace Fuzz.Generators.CsCheck;

/// <summary>
/// The scenario space as a CsCheck generator: CsCheck's PCG supplies the choices to
/// <see cref="ScenarioGenerator"/>, and the size (operations, then schedule length) lets CsCheck's
/// own shrinking prefer smaller failing scenarios. Its environment variables (CsCheck_Iter,
/// CsCheck_Time, CsCheck_Seed, CsCheck_Threads) scale a property up or replay a seed.
/// </summary>
public sealed class CsCheckScenarios(GeneratorSettings settings, string kernelRef) : Gen<Scenario>
{
    public override Scenario Generate(PCG pcg, Size? min, out Size size)
    {
        Scenario s = ScenarioGenerator.Generate(new PcgAdapter(pcg), settings, kernelRef);
        size = new Size((ulong)s.OperationCount, new Size((ulong)s.Schedule.Count));
        return s;
    }

    private sealed class PcgAdapter(PCG pcg) : IChoices
    {
        public int Next(int bound) => bound <= 1 ? 0 : (int)pcg.Next((uint)bound);
    }
}
