namespace Fuzz.Model.Trace;

/// <summary>
/// Append-only list of trace events, up to a capacity; stops recording (and says so) when full. It
/// starts small and doubles when a long run needs more, so that a short run does not pay for zeroing
/// a megabyte; once grown it stays grown, so a reused log (and every step after warm-up) allocates nothing.
/// </summary>
public sealed class TraceLog
{
    private const int InitialSize = 1024;
    private TraceEvent[] _events;
    private TraceEvent _sink;

    public TraceLog(int capacity)
    {
        Capacity = capacity;
        _events = new TraceEvent[Math.Min(capacity, InitialSize)];
    }

    public int Capacity { get; }

    public int Count { get; private set; }
    public bool Truncated { get; private set; }

    public void Clear()
    {
        Count = 0;
        Truncated = false;
    }

    /// <summary>Append a blank event and return it for the caller to fill (a scratch slot when full).</summary>
    public ref TraceEvent Append()
    {
        if (Count == _events.Length && _events.Length < Capacity)
            Array.Resize(ref _events, (int)Math.Min(Capacity, 2L * _events.Length));
        if (Count == _events.Length)
        {
            Truncated = true;
            _sink = default;
            return ref _sink;
        }
        ref TraceEvent e = ref _events[Count++];
        e = default;
        e.Pfn = -1;
        e.Mm = -1;
        e.Va = -1;
        return ref e;
    }

    /// <summary>The event being filled by the step now running.</summary>
    public ref TraceEvent Last => ref Count == 0 || Truncated ? ref _sink : ref _events[Count - 1];

    public ref readonly TraceEvent this[int i] => ref _events[i];

    public ReadOnlySpan<TraceEvent> Events => _events.AsSpan(0, Count);
}
