using System.Runtime.CompilerServices;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// The sequential specification's state for one virtual page: the register of each mm (fork copies
/// the parent's into the child's, so both are checked together), plus the stale views that
/// in-flight MADV_DONTNEEDs leave behind.
///
/// The kernel defers the TLB flush of a zap (mmu_gather) until tlb_finish_mmu: between the clear and
/// the flush, a CPU or device that cached the old translation still reads, and writes, the old page,
/// while everyone else sees the page gone (and may fault a new one in). So a MADV_DONTNEED is two
/// instants: the clear (somewhere in the call), which zeroes the register and keeps its previous
/// value as a stale view; and the return, after which no stale view from at or before its own clear
/// may be used (that is what "the range is zapped" promises: the nested-flush fix of seed (a)). A
/// read may return the register or a stale view; a write may go to the register or into a stale view.
/// </summary>
public partial struct RegisterState : IEquatable<RegisterState>
{
    public const int MaxStale = 6;

    public int Mm0;
    public int Mm1;
    private StaleViews _stale;
    private int _count;

    public RegisterState(int mm0, int mm1)
    {
        Mm0 = mm0;
        Mm1 = mm1;
        _stale = default;
        _count = 0;
    }

    public readonly int Get(int mm) => mm == 0 ? Mm0 : Mm1;

    private void Set(int mm, int value)
    {
        if (mm == 0) Mm0 = value;
        else Mm1 = value;
    }

    public readonly int StaleCount => _count;

    /// <summary>
    /// All states one event can lead to (a write has one outcome per stale view it might have gone
    /// into). <paramref name="clearedZaps"/> are the zap slots whose clear is already linearized;
    /// <paramref name="zapSlot"/> is this event's zap slot (Zap and ZapReturn).
    /// </summary>
    public readonly int Apply(in HistoryEvent e, uint clearedZaps, int zapSlot, Span<RegisterState> next)
    {
        RegisterState s = this;
        switch (e.Kind)
        {
            case HistoryKind.Read:
                if (Get(e.Mm) == e.Value) goto one;
                for (int i = 0; i < _count; i++)
                {
                    if (StaleMm(i) == e.Mm && StaleValue(i) == e.Value) goto one;
                }
                return 0;
            case HistoryKind.Write:
            {
                int n = 0;
                s.Set(e.Mm, e.Value);
                next[n++] = s;
                for (int i = 0; i < _count; i++)
                {
                    if (StaleMm(i) != e.Mm) continue;
                    RegisterState w = this;
                    w.SetStale(i, e.Mm, e.Value, StaleMask(i));
                    next[n++] = w.Sorted();
                }
                return n;
            }
            case HistoryKind.Zap:
                s.AddStale(e.Mm, Get(e.Mm), clearedZaps);
                s.Set(e.Mm, 0);
                next[0] = s.Sorted();
                return 1;
            case HistoryKind.ZapReturn:
            {
                uint bit = 1u << zapSlot;
                int kept = 0;
                for (int i = 0; i < _count; i++)
                {
                    if (StaleMm(i) == e.Mm && (StaleMask(i) & bit) == 0) continue;
                    s._stale[kept++] = _stale[i];
                }
                s._count = kept;
                next[0] = s;
                return 1;
            }
            default:
                s.Set(e.Mm, Get(1 - e.Mm));
                goto one;
        }
    one:
        next[0] = s;
        return 1;
    }

    private readonly int StaleValue(int i) => (int)(_stale[i] >> 16);
    private readonly int StaleMm(int i) => (int)(_stale[i] >> 8) & 0xff;
    private readonly uint StaleMask(int i) => (uint)(_stale[i] & 0xff);

    private void SetStale(int i, int mm, int value, uint mask) =>
        _stale[i] = ((long)value << 16) | ((long)mm << 8) | mask;

    /// <summary>A stale view; <paramref name="clearedBefore"/> are the zaps whose return does not retire it.</summary>
    private void AddStale(int mm, int value, uint clearedBefore)
    {
        for (int i = 0; i < _count; i++)
        {
            if (StaleMm(i) == mm && StaleValue(i) == value && StaleMask(i) == clearedBefore) return;
        }
        if (_count == MaxStale) throw new ModelLimitException($"more than {MaxStale} concurrent MADV_DONTNEED views of one page");
        SetStale(_count++, mm, value, clearedBefore);
    }

    /// <summary>Keep the views sorted, so that equal states compare and hash equal.</summary>
    private readonly RegisterState Sorted()
    {
        RegisterState s = this;
        for (int i = 1; i < s._count; i++)
        {
            long x = s._stale[i];
            int j = i - 1;
            while (j >= 0 && s._stale[j] > x)
            {
                s._stale[j + 1] = s._stale[j];
                j--;
            }
            s._stale[j + 1] = x;
        }
        return s;
    }

    public readonly bool Equals(RegisterState o)
    {
        if (Mm0 != o.Mm0 || Mm1 != o.Mm1 || _count != o._count) return false;
        for (int i = 0; i < _count; i++)
        {
            if (_stale[i] != o._stale[i]) return false;
        }
        return true;
    }

    public override readonly bool Equals(object? obj) => obj is RegisterState r && Equals(r);

    public override readonly int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Mm0);
        h.Add(Mm1);
        for (int i = 0; i < _count; i++) h.Add(_stale[i]);
        return h.ToHashCode();
    }

    [InlineArray(MaxStale)]
    private struct StaleViews
    {
        private long _view;
    }
}
