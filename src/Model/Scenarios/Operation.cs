namespace Fuzz.Model.Scenarios;

/// <summary>
/// One operation of an agent's program. <see cref="Va"/>..<see cref="VaLast"/> is the page range
/// (inclusive; one page for everything but madvise); <see cref="Value"/> is what a store writes.
/// </summary>
public readonly record struct Operation(OpKind Kind, int Va = 0, int VaLast = 0, int Value = 0)
{
    public static Operation Load(int va) => new(OpKind.Load, va, va);
    public static Operation Store(int va, int value) => new(OpKind.Store, va, va, value);
    public static Operation Madvise(int first, int last) => new(OpKind.MadviseDontneed, first, last);
    public static Operation Fork() => new(OpKind.Fork);
    public static Operation DmaRead(int va) => new(OpKind.DmaRead, va, va);
    public static Operation DmaWrite(int va, int value) => new(OpKind.DmaWrite, va, va, value);

    public override string ToString()
    {
        string name = OpKinds.Name(Kind);
        if (Kind == OpKind.Fork) return name;
        string range = VaLast != Va ? $"{Names.Page(Va)}-{Names.Page(VaLast)}" : Names.Page(Va);
        return OpKinds.HasValue(Kind) ? $"{name} {range} {Value}" : $"{name} {range}";
    }
}
