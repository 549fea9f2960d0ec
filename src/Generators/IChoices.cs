namespace Fuzz.Generators;

/// <summary>
/// The source of every random decision the scenario generator makes. The generator is written
/// once against this; CsCheck's PCG, FsCheck's seeds and the fuzz runner's seeds plug in here.
/// </summary>
public interface IChoices
{
    /// <summary>Uniform in [0, bound).</summary>
    int Next(int bound);

    bool Chance(int percent) => Next(100) < percent;

    /// <summary>In [min, max].</summary>
    int Between(int min, int max) => min + Next(max - min + 1);
}
