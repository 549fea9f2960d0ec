namespace Fuzz.Search.Verification;

/// <summary>
/// One breadth-first level: the encoded states to expand (bytes in chunks of a megabyte, so that a
/// level of millions of states costs a few allocations), their numbers and sleep sets.
/// </summary>
internal sealed class Frontier
{
    private const int Chunk = 1 << 20;
    private readonly List<byte[]> _chunks = new();
    private int _chunk;
    private int _used;
    private long[] _where = new long[1024];
    private int[] _length = new int[1024];
    private SleepSet[] _sleep = new SleepSet[1024];

    public int Count { get; private set; }

    /// <summary>Bytes held by the encoded states (for the memory figure).</summary>
    public long Bytes => (long)_chunks.Count * Chunk + (long)_where.Length * (8 + 4 + 20);

    public void Clear()
    {
        Count = 0;
        _chunk = 0;
        _used = 0;
    }

    public void Add(ReadOnlySpan<byte> state, in SleepSet sleep)
    {
        if (state.Length > Chunk) throw new InvalidOperationException("an encoded state larger than a megabyte");
        if (_chunks.Count == 0) _chunks.Add(new byte[Chunk]);
        if (_used + state.Length > Chunk)
        {
            _chunk++;
            _used = 0;
            if (_chunk == _chunks.Count) _chunks.Add(new byte[Chunk]);
        }
        if (Count == _where.Length)
        {
            Array.Resize(ref _where, Count * 2);
            Array.Resize(ref _length, Count * 2);
            Array.Resize(ref _sleep, Count * 2);
        }
        state.CopyTo(_chunks[_chunk].AsSpan(_used));
        _where[Count] = ((long)_chunk << 32) | (uint)_used;
        _length[Count] = state.Length;
        _sleep[Count] = sleep;
        _used += state.Length;
        Count++;
    }

    public ReadOnlySpan<byte> State(int i) => _chunks[(int)(_where[i] >> 32)].AsSpan((int)(uint)_where[i], _length[i]);

    public ref SleepSet Sleep(int i) => ref _sleep[i];

    /// <summary>Let go of the chunks beyond what the largest level so far needed.</summary>
    public void Trim()
    {
        if (_chunks.Count > _chunk + 1) _chunks.RemoveRange(_chunk + 1, _chunks.Count - _chunk - 1);
    }
}
