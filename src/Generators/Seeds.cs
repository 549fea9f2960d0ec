namespace Fuzz.Generators;

/// <summary>Seed arithmetic: one master seed gives independent, reproducible per-scenario seeds.</summary>
public static class Seeds
{
    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): the i-th scenario seed of a run.</summary>
    public static ulong Derive(ulong master, ulong index)
    {
        ulong z = master + (index + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static string Format(ulong seed) => seed.ToString("x16");

    public static bool TryParse(string s, out ulong seed) =>
        ulong.TryParse(s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : s,
            System.Globalization.NumberStyles.HexNumber, null, out seed);
}
