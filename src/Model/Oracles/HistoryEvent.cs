namespace Fuzz.Model.Oracles;

/// <summary>
/// One operation on one register: its kind, the value it wrote or read, and the ticks of its call
/// and return (<see cref="int.MaxValue"/> while pending).
/// </summary>
public struct HistoryEvent
{
    public HistoryKind Kind;
    public byte Agent;
    /// <summary>The register's mm (for ForkCopy: the child; the parent is the other mm).</summary>
    public byte Mm;
    public byte Va;
    public int Value;
    public int Call;
    public int Return;
    /// <summary>The flat operation index it belongs to.</summary>
    public int Op;
    /// <summary>For a ZapReturn: the history index of its Zap.</summary>
    public int Link;

    public readonly bool Pending => Return == int.MaxValue;
}
