namespace Fuzz.Model.Machine;

/// <summary>The four states a last-level PTE takes in this model (x86-64 encoding aside).</summary>
public enum PteKind : byte
{
    /// <summary>pte_none(): nothing mapped; a fault allocates (do_anonymous_page).</summary>
    None,
    /// <summary>pte_present(): maps a frame.</summary>
    Present,
    /// <summary>A swap entry: the page's content lives in a swap slot (do_swap_page brings it back).</summary>
    Swap,
    /// <summary>A migration entry: the page is being moved; faults wait (migration_entry_wait).</summary>
    Migration,
}

/// <summary>
/// A page-table entry. Compared whole by <see cref="Same"/>, as the kernel's pte_same() compares the
/// raw value: a hardware dirty or accessed bit set between a fault's lockless read and its recheck
/// under the PTL makes the recheck fail, and the model keeps that.
/// </summary>
public struct Pte : IEquatable<Pte>
{
    public PteKind Kind;
    public bool Writable;
    public bool Dirty;
    public bool Young;
    /// <summary>Frame number for Present and Migration entries.</summary>
    public short Pfn;
    /// <summary>Swap slot for Swap entries.</summary>
    public short Slot;

    public static Pte None => default;

    public static Pte Present(int pfn, bool writable, bool dirty) =>
        new() { Kind = PteKind.Present, Pfn = (short)pfn, Writable = writable, Dirty = dirty, Young = true };

    public static Pte SwapEntry(int slot) => new() { Kind = PteKind.Swap, Slot = (short)slot };

    public static Pte MigrationEntry(int pfn, bool writable) =>
        new() { Kind = PteKind.Migration, Pfn = (short)pfn, Writable = writable };

    public readonly bool IsNone => Kind == PteKind.None;
    public readonly bool IsPresent => Kind == PteKind.Present;

    /// <summary>pte_same(): bitwise equality of the whole entry.</summary>
    public readonly bool Same(in Pte other) => Equals(other);

    public readonly bool Equals(Pte other) =>
        Kind == other.Kind && Writable == other.Writable && Dirty == other.Dirty && Young == other.Young
        && Pfn == other.Pfn && Slot == other.Slot;

    public override readonly bool Equals(object? obj) => obj is Pte p && Equals(p);

    public override readonly int GetHashCode() => HashCode.Combine(Kind, Writable, Dirty, Young, Pfn, Slot);

    public static bool operator ==(Pte a, Pte b) => a.Equals(b);

    public static bool operator !=(Pte a, Pte b) => !a.Equals(b);

    public override readonly string ToString() => Kind switch
    {
        PteKind.None => "none",
        PteKind.Present => $"pfn {Pfn} {(Writable ? "rw" : "ro")}{(Dirty ? " dirty" : "")}",
        PteKind.Swap => $"swap slot {Slot}",
        _ => $"migration pfn {Pfn}{(Writable ? " rw" : "")}",
    };
}
