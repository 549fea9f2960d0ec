namespace Fuzz.Search.Verification;

/// <summary>The successors by agent steps of the state being expanded, held until the hardware actions are decided.</summary>
internal sealed class PendingChildren
{
    private byte[] _bytes = new byte[1 << 16];
    private int _used;
    private readonly List<(int Action, HardwareFootprint Footprint, bool Terminal, int Offset, int Length)> _items = new();

    public int Count => _items.Count;

    public void Clear()
    {
        _items.Clear();
        _used = 0;
    }

    public void Add(int action, HardwareFootprint footprint, bool terminal, ReadOnlySpan<byte> state)
    {
        if (_used + state.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + state.Length));
        state.CopyTo(_bytes.AsSpan(_used));
        _items.Add((action, footprint, terminal, _used, state.Length));
        _used += state.Length;
    }

    public int Action(int i) => _items[i].Action;

    public HardwareFootprint Footprint(int i) => _items[i].Footprint;

    public bool Terminal(int i) => _items[i].Terminal;

    public ReadOnlySpan<byte> State(int i) => _bytes.AsSpan(_items[i].Offset, _items[i].Length);
}
