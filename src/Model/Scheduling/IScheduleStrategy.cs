namespace Fuzz.Model.Scheduling;

/// <summary>
/// Chooses the next action among those enabled. The simulator knows nothing of strategies: an
/// explicit schedule, a seeded random walk, PCT or an exhaustive enumerator all drive it the same way.
/// </summary>
public interface IScheduleStrategy
{
    /// <summary>
    /// Return an index into <paramref name="enabled"/>. The first <paramref name="agentActions"/>
    /// entries make progress, by agent number (each agent's step, then, for the device and the IOMMU,
    /// their completions, walks and commands); the rest are hardware's optional choices: TLB fills,
    /// speculative translation requests, evictions.
    /// </summary>
    int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions);
}
