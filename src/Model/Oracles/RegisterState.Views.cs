namespace Fuzz.Model.Oracles;

/// <summary>
/// Read access to the stale views, a total order and a constructor from parts: what the online
/// monitor (<see cref="LinearizabilityMonitor"/>) needs to keep configurations canonical and to
/// encode them into a search state.
/// </summary>
public partial struct RegisterState : IComparable<RegisterState>
{
    public readonly int StaleValueAt(int i) => StaleValue(i);

    public readonly int StaleMmAt(int i) => StaleMm(i);

    /// <summary>The zap slots whose clear was linearized before this view was created (their returns do not retire it).</summary>
    public readonly uint StaleMaskAt(int i) => StaleMask(i);

    /// <summary>Whether a read of <paramref name="mm"/> may return <paramref name="value"/> in this state.</summary>
    public readonly bool CanRead(int mm, int value)
    {
        if (Get(mm) == value) return true;
        for (int i = 0; i < _count; i++)
        {
            if (StaleMm(i) == mm && StaleValue(i) == value) return true;
        }
        return false;
    }

    /// <summary>
    /// The same state with zap slot <paramref name="slot"/> forgotten: once that zap has returned, no
    /// event refers to its slot again, and the slot is reused by its agent's next MADV_DONTNEED.
    /// </summary>
    public readonly RegisterState WithoutSlot(int slot)
    {
        RegisterState s = this;
        long bit = 1L << slot;
        for (int i = 0; i < _count; i++) s._stale[i] &= ~bit;
        s = s.Sorted();
        // Two views that differed only in that bit are now one.
        int kept = 0;
        for (int i = 0; i < s._count; i++)
        {
            if (kept > 0 && s._stale[kept - 1] == s._stale[i]) continue;
            s._stale[kept++] = s._stale[i];
        }
        for (int i = kept; i < MaxStale; i++) s._stale[i] = 0;
        s._count = kept;
        return s;
    }

    /// <summary>A state from its parts (views in any order).</summary>
    public static RegisterState FromParts(int mm0, int mm1, ReadOnlySpan<(int Value, int Mm, uint Mask)> views)
    {
        var s = new RegisterState(mm0, mm1);
        foreach (var (value, mm, mask) in views) s.SetStale(s._count++, mm, value, mask);
        return s.Sorted();
    }

    /// <summary>Registers, then the number of views, then the views in their (sorted) order.</summary>
    public readonly int CompareTo(RegisterState o)
    {
        int c = Mm0.CompareTo(o.Mm0);
        if (c != 0) return c;
        c = Mm1.CompareTo(o.Mm1);
        if (c != 0) return c;
        c = _count.CompareTo(o._count);
        if (c != 0) return c;
        for (int i = 0; i < _count; i++)
        {
            c = _stale[i].CompareTo(o._stale[i]);
            if (c != 0) return c;
        }
        return 0;
    }

    /// <summary>Unused view slots zeroed, so that equal states are equal bytes.</summary>
    public readonly RegisterState Cleaned()
    {
        RegisterState s = this;
        for (int i = _count; i < MaxStale; i++) s._stale[i] = 0;
        return s;
    }
}
