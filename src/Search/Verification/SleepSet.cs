namespace Fuzz.Search.Verification;

/// <summary>
/// A sleep set (Godefroid 1996): actions already covered by a sibling explored earlier, with the
/// hardware footprint of each sleeping agent step (an action sleeps only across actions independent
/// of it, so its footprint stays what it was when it was explored).
/// </summary>
public struct SleepSet
{
    public const int Capacity = 128;
    private const int MaxAgents = 16;

    private ulong _lo;
    private ulong _hi;
    private ulong _footprints;

    public readonly bool IsEmpty => (_lo | _hi) == 0;

    public readonly bool Contains(int action) => action < 64 ? (_lo >> action & 1) != 0 : (_hi >> (action - 64) & 1) != 0;

    public void Add(int action, HardwareFootprint footprint = HardwareFootprint.All)
    {
        if (action < 64) _lo |= 1UL << action;
        else _hi |= 1UL << (action - 64);
        if (action < MaxAgents) _footprints = (_footprints & ~(15UL << (4 * action))) | ((ulong)footprint << (4 * action));
    }

    /// <summary>The footprint an agent step slept with; every other action (and steps past the sixteenth agent) counts as touching everything.</summary>
    public readonly HardwareFootprint FootprintOf(int agentStep) =>
        agentStep < MaxAgents ? (HardwareFootprint)(_footprints >> (4 * agentStep) & 15) : HardwareFootprint.All;

    /// <summary>The intersection (a state reached on two paths of the same length sleeps only on what both cover).</summary>
    public void IntersectWith(in SleepSet o)
    {
        _lo &= o._lo;
        _hi &= o._hi;
    }

    public readonly int Count => System.Numerics.BitOperations.PopCount(_lo) + System.Numerics.BitOperations.PopCount(_hi);

    /// <summary>The actions in the set, lowest first (walk with <paramref name="from"/> = -1, then the last one returned).</summary>
    public readonly int Next(int from)
    {
        int i = from + 1;
        if (i < 64)
        {
            ulong lo = _lo >> i << i;
            if (lo != 0) return System.Numerics.BitOperations.TrailingZeroCount(lo);
            i = 64;
        }
        if (i >= Capacity) return -1;
        ulong hi = _hi >> (i - 64) << (i - 64);
        return hi != 0 ? 64 + System.Numerics.BitOperations.TrailingZeroCount(hi) : -1;
    }
}
