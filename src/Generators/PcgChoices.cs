using Fuzz.Model.Scheduling;

namespace Fuzz.Generators;

/// <summary>Choices from a seeded <see cref="Pcg32"/>: the same seed gives the same scenario on any machine.</summary>
public sealed class PcgChoices : IChoices
{
    private Pcg32 _rng;

    public PcgChoices(ulong seed) => _rng = new Pcg32(seed);

    public int Next(int bound) => _rng.Next(bound);
}
