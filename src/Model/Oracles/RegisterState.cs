namespace Fuzz.Model.Oracles;

/// <summary>
/// The sequential specification's state for one virtual page: the register of each mm (fork copies
/// the parent's into the child's, so the two registers of a page are checked together).
/// </summary>
public readonly record struct RegisterState(int Mm0, int Mm1)
{
    public int Get(int mm) => mm == 0 ? Mm0 : Mm1;

    public RegisterState Set(int mm, int value) => mm == 0 ? this with { Mm0 = value } : this with { Mm1 = value };

    /// <summary>Apply one operation; false when a read does not see the register's value.</summary>
    public bool Apply(in HistoryEvent e, out RegisterState next)
    {
        next = this;
        switch (e.Kind)
        {
            case HistoryKind.Read:
                return Get(e.Mm) == e.Value;
            case HistoryKind.Write:
                next = Set(e.Mm, e.Value);
                return true;
            case HistoryKind.Zap:
                next = Set(e.Mm, 0);
                return true;
            default:
                next = Set(e.Mm, Get(1 - e.Mm));
                return true;
        }
    }
}
