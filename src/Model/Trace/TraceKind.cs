namespace Fuzz.Model.Trace;

public enum TraceKind : byte
{
    /// <summary>A recipe step ran (shared: it had its own tick; local: it ran in the same tick).</summary>
    Step,
    /// <summary>Hardware filled a TLB/ATC entry.</summary>
    Fill,
    /// <summary>Hardware evicted a TLB/ATC entry.</summary>
    Evict,
    /// <summary>An operation was called.</summary>
    OpBegin,
    /// <summary>An operation returned.</summary>
    OpEnd,
}
