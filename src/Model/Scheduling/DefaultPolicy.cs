namespace Fuzz.Model.Scheduling;

/// <summary>
/// What happens when a schedule runs out: the enabled agents take turns (round robin, starting
/// after the agent that stepped last), and hardware stays quiet. Fair, so that an agent waiting on
/// another (a fault retried until a zap finishes) always sees the other run; deterministic, so a
/// schedule only needs to be written up to its last real choice.
/// </summary>
public sealed class DefaultPolicy : IScheduleStrategy
{
    private int _last = -1;

    public int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions)
    {
        int i = Pick(enabled, agentActions, _last);
        _last = enabled[i].Agent;
        return i;
    }

    /// <summary>The first enabled agent numbered after <paramref name="lastAgent"/>, else the first one.</summary>
    public static int Pick(ReadOnlySpan<SchedAction> enabled, int agentActions, int lastAgent)
    {
        for (int i = 0; i < agentActions; i++)
        {
            if (enabled[i].Agent > lastAgent) return i;
        }
        return 0;
    }
}
