namespace Fuzz.Model.Scheduling;

/// <summary>
/// A seeded random walk: usually an agent step (uniform over enabled agents), sometimes a hardware
/// fill or eviction. The same seed gives the same choices on any machine.
/// </summary>
public sealed class RandomStrategy : IScheduleStrategy
{
    private Pcg32 _rng;
    private readonly int _hardwarePercent;

    public RandomStrategy(ulong seed, int hardwarePercent = 15)
    {
        _rng = new Pcg32(seed);
        _hardwarePercent = hardwarePercent;
    }

    public int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions)
    {
        int hardware = enabled.Length - agentActions;
        if (hardware > 0 && _rng.Chance(_hardwarePercent)) return agentActions + _rng.Next(hardware);
        return _rng.Next(agentActions);
    }
}
