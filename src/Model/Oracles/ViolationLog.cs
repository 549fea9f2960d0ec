namespace Fuzz.Model.Oracles;

/// <summary>
/// Violations of one run, in the order found. The run goes on after a violation (the model does not
/// crash on a use-after-free), so one run can show several; the first of each oracle is kept.
/// </summary>
public sealed class ViolationLog
{
    private const int Capacity = 16;
    private readonly Violation[] _items = new Violation[Capacity];
    private uint _oracles;

    public int Count { get; private set; }

    public void Clear()
    {
        Count = 0;
        _oracles = 0;
    }

    public bool Any => Count > 0;

    public bool Has(OracleId oracle) => (_oracles & (1u << (int)oracle)) != 0;

    public void Report(in Violation v)
    {
        if (Has(v.Oracle) && v.Oracle != OracleId.Progress) return;
        _oracles |= 1u << (int)v.Oracle;
        if (Count < Capacity) _items[Count++] = v;
    }

    public ref readonly Violation this[int i] => ref _items[i];

    public ReadOnlySpan<Violation> Items => _items.AsSpan(0, Count);

    /// <summary>The first violation of the given oracle, if any.</summary>
    public bool TryGet(OracleId oracle, out Violation v)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_items[i].Oracle == oracle)
            {
                v = _items[i];
                return true;
            }
        }
        v = default;
        return false;
    }
}
