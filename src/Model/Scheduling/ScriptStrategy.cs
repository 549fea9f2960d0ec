namespace Fuzz.Model.Scheduling;

/// <summary>
/// Follows an explicit schedule. An action that is not enabled when its turn comes is skipped (so
/// a shortened or hand-edited schedule still runs); after the last one, the default policy (round
/// robin from the agent that stepped last). Counts what it skipped, which a replay of a recorded
/// schedule should never do.
/// </summary>
public sealed class ScriptStrategy : IScheduleStrategy
{
    private readonly IReadOnlyList<SchedAction> _script;
    private int _next;
    private int _lastAgent = -1;

    public ScriptStrategy(IReadOnlyList<SchedAction> script) => _script = script;

    public int Skipped { get; private set; }

    /// <summary>Index in the schedule of the first choice that was not enabled at its turn, or -1.</summary>
    public int FirstSkipped { get; private set; } = -1;

    public int Consumed => _next;

    public int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions)
    {
        int choice = Scripted(enabled);
        if (choice < 0) choice = DefaultPolicy.Pick(enabled, agentActions, _lastAgent);
        if (choice < agentActions) _lastAgent = enabled[choice].Agent;
        return choice;
    }

    private int Scripted(ReadOnlySpan<SchedAction> enabled)
    {
        while (_next < _script.Count)
        {
            SchedAction want = _script[_next++];
            for (int i = 0; i < enabled.Length; i++)
            {
                if (enabled[i] == want) return i;
            }
            if (Skipped++ == 0) FirstSkipped = _next - 1;
        }
        return -1;
    }
}
