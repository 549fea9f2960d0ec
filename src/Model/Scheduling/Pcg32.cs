namespace Fuzz.Model.Scheduling;

/// <summary>
/// PCG-XSH-RR 32-bit generator (O'Neill 2014): small, fast, and the same sequence on every machine
/// and runtime, which System.Random does not promise across versions.
/// </summary>
public struct Pcg32
{
    private const ulong Multiplier = 6364136223846793005UL;
    private ulong _state;
    private readonly ulong _inc;

    public Pcg32(ulong seed, ulong stream = 54)
    {
        _state = 0;
        _inc = (stream << 1) | 1;
        NextUInt();
        _state += seed;
        NextUInt();
    }

    public uint NextUInt()
    {
        ulong old = _state;
        _state = old * Multiplier + _inc;
        uint xorshifted = (uint)(((old >> 18) ^ old) >> 27);
        int rot = (int)(old >> 59);
        return (xorshifted >> rot) | (xorshifted << (-rot & 31));
    }

    /// <summary>Uniform in [0, bound) without modulo bias.</summary>
    public int Next(int bound)
    {
        if (bound <= 1) return 0;
        uint b = (uint)bound;
        uint threshold = (uint)(-b % b);
        while (true)
        {
            uint r = NextUInt();
            if (r >= threshold) return (int)(r % b);
        }
    }

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(int percent) => Next(100) < percent;
}
