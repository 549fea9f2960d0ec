namespace Fuzz.Model.Scheduling;

/// <summary>Wraps a strategy and records every action taken, so any run can be saved and replayed.</summary>
public sealed class RecordingStrategy : IScheduleStrategy
{
    private readonly IScheduleStrategy _inner;
    private readonly List<SchedAction> _taken;

    public RecordingStrategy(IScheduleStrategy inner, int capacity = 256)
    {
        _inner = inner;
        _taken = new List<SchedAction>(capacity);
    }

    public IReadOnlyList<SchedAction> Taken => _taken;

    public int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions)
    {
        int i = _inner.Choose(enabled, agentActions);
        _taken.Add(enabled[i]);
        return i;
    }
}
