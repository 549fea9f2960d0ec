namespace Fuzz.Model.Scenarios;

/// <summary>
/// One operation of an agent's program. <see cref="Va"/>..<see cref="VaLast"/> is the page range
/// (inclusive; one page for everything but madvise); <see cref="Value"/> is what a store writes.
/// Kernel-thread operations name their target mm (<see cref="Mm"/>); ksm_merge names a second page
/// (<see cref="Mm2"/>, <see cref="Va2"/>) to merge with the first.
/// </summary>
public readonly record struct Operation(OpKind Kind, int Va = 0, int VaLast = 0, int Value = 0, int Mm = 0, int Mm2 = 0, int Va2 = 0)
{
    public static Operation Load(int va) => new(OpKind.Load, va, va);
    public static Operation Store(int va, int value) => new(OpKind.Store, va, va, value);
    public static Operation Madvise(int first, int last) => new(OpKind.MadviseDontneed, first, last);
    public static Operation Fork() => new(OpKind.Fork);
    public static Operation DmaRead(int va) => new(OpKind.DmaRead, va, va);
    public static Operation DmaWrite(int va, int value) => new(OpKind.DmaWrite, va, va, value);
    public static Operation OdirectRead(int va, int value) => new(OpKind.OdirectRead, va, va, value);
    public static Operation KsmMerge(int mm, int va, int mm2, int va2) => new(OpKind.KsmMerge, va, va, 0, mm, mm2, va2);
    public static Operation SwapOut(int mm, int va) => new(OpKind.SwapOut, va, va, 0, mm);
    public static Operation Migrate(int mm, int va) => new(OpKind.Migrate, va, va, 0, mm);

    public override string ToString()
    {
        string name = OpKinds.Name(Kind);
        if (Kind == OpKind.Fork) return name;
        if (Kind == OpKind.KsmMerge) return $"{name} {Names.Mm(Mm)} {Names.Page(Va)} {Names.Mm(Mm2)} {Names.Page(Va2)}";
        if (OpKinds.NamesMm(Kind)) return $"{name} {Names.Mm(Mm)} {Names.Page(Va)}";
        string range = VaLast != Va ? $"{Names.Page(Va)}-{Names.Page(VaLast)}" : Names.Page(Va);
        return OpKinds.HasValue(Kind) ? $"{name} {range} {Value}" : $"{name} {range}";
    }
}
