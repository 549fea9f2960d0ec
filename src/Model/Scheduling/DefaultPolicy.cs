namespace Fuzz.Model.Scheduling;

/// <summary>
/// What happens when a schedule runs out: the lowest-numbered enabled agent runs, and hardware
/// stays quiet. Deterministic, so a schedule only needs to be written up to its last real choice.
/// </summary>
public sealed class DefaultPolicy : IScheduleStrategy
{
    public static DefaultPolicy Instance { get; } = new();

    public int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions) => 0;
}
