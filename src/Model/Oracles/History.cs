namespace Fuzz.Model.Oracles;

/// <summary>The register history of a run, preallocated.</summary>
public sealed class History
{
    private readonly HistoryEvent[] _events;

    public History(int capacity) => _events = new HistoryEvent[capacity];

    public int Count { get; private set; }

    public int Capacity => _events.Length;

    /// <summary>Replace the history with <paramref name="events"/> (restoring a saved state).</summary>
    public void Load(ReadOnlySpan<HistoryEvent> events)
    {
        events.CopyTo(_events);
        Count = events.Length;
    }

    public void Clear() => Count = 0;

    public int Add(HistoryKind kind, int agent, int mm, int va, int value, int call, int op)
    {
        if (Count == _events.Length) throw new InvalidOperationException("history capacity exceeded");
        ref HistoryEvent e = ref _events[Count];
        e.Kind = kind;
        e.Agent = (byte)agent;
        e.Mm = (byte)mm;
        e.Va = (byte)va;
        e.Value = value;
        e.Call = call;
        e.Return = int.MaxValue;
        e.Op = op;
        e.Link = -1;
        return Count++;
    }

    public ref HistoryEvent this[int i] => ref _events[i];

    public ReadOnlySpan<HistoryEvent> Events => _events.AsSpan(0, Count);
}
