using System.Runtime.CompilerServices;
namespace Fuzz.Search.Verification;

/// <summary>
/// The states seen so far, as 128-bit fingerprints (xxHash128 of the encoded state) in an open-addressed
/// table, each with the number of the state. Two different states with the same fingerprint would make
/// the search skip the second; for n states the chance is about n^2 / 2^129 (10^-20 for a billion
/// states), which we accept, as SPIN's and TLC's hash compaction do at far higher rates.
/// </summary>
public sealed class VisitedSet
{
    private ulong[] _lo;
    private ulong[] _hi;
    private int[] _id;
    private int _mask;

    public VisitedSet(int capacity = 1 << 16)
    {
        int size = 1;
        while (size < capacity * 2) size <<= 1;
        _lo = new ulong[size];
        _hi = new ulong[size];
        _id = new int[size];
        _mask = size - 1;
    }

    public int Count { get; private set; }

    /// <summary>Bytes the table holds now (for the bytes-per-state figure).</summary>
    public long Bytes => (long)_lo.Length * (8 + 8 + 4);

    /// <summary>Add the fingerprint with <paramref name="id"/> if new; otherwise return the id it has.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAdd(UInt128 fingerprint, int id, out int existing)
    {
        ulong lo = (ulong)fingerprint, hi = (ulong)(fingerprint >> 64);
        if (lo == 0 && hi == 0) lo = 1;
        if ((Count + 1) * 4 > _lo.Length * 3) Grow();
        int i = (int)(lo ^ (hi >> 17)) & _mask;
        while (true)
        {
            if (_lo[i] == 0 && _hi[i] == 0)
            {
                _lo[i] = lo;
                _hi[i] = hi;
                _id[i] = id;
                Count++;
                existing = id;
                return true;
            }
            if (_lo[i] == lo && _hi[i] == hi)
            {
                existing = _id[i];
                return false;
            }
            i = (i + 1) & _mask;
        }
    }

    private void Grow()
    {
        ulong[] lo = _lo, hi = _hi;
        int[] id = _id;
        _lo = new ulong[lo.Length * 2];
        _hi = new ulong[lo.Length * 2];
        _id = new int[lo.Length * 2];
        _mask = _lo.Length - 1;
        for (int j = 0; j < lo.Length; j++)
        {
            if (lo[j] == 0 && hi[j] == 0) continue;
            int i = (int)(lo[j] ^ (hi[j] >> 17)) & _mask;
            while (_lo[i] != 0 || _hi[i] != 0) i = (i + 1) & _mask;
            _lo[i] = lo[j];
            _hi[i] = hi[j];
            _id[i] = id[j];
        }
    }
}
