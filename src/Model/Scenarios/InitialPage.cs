namespace Fuzz.Model.Scenarios;

public enum InitialPageKind : byte
{
    /// <summary>Mapped read-only to the zero page (as a read fault leaves it).</summary>
    Zero,
    /// <summary>A private anonymous page holding a value.</summary>
    Value,
    /// <summary>The same frame as another (mm, page): what fork leaves behind, read-only on both sides.</summary>
    SharedWith,
    /// <summary>Swapped out: the PTE is a swap entry and a swap slot holds the value.</summary>
    Swapped,
}

/// <summary>
/// A page mapped before the run starts. Unlisted pages are pte_none (they read as 0). A value page
/// is young (accessed since reclaim last looked, as the fault that mapped it left it) unless
/// <see cref="Old"/>: then reclaim's page_referenced() finds its accessed bit clear.
/// </summary>
public readonly record struct InitialPage(
    int Mm,
    int Va,
    InitialPageKind Kind,
    int Value = 0,
    bool Writable = true,
    int SharedMm = 0,
    int SharedVa = 0,
    bool Old = false);
