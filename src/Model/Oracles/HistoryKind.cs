namespace Fuzz.Model.Oracles;

/// <summary>What an operation does to one (mm, page) register, for the linearizability check.</summary>
public enum HistoryKind : byte
{
    /// <summary>A load or DMA read; Value is what it returned.</summary>
    Read,
    /// <summary>A store or DMA write; Value is what it wrote.</summary>
    Write,
    /// <summary>
    /// MADV_DONTNEED clears the page at some instant inside the call. Until it returns, translations
    /// cached before the clear may still read (or write) the old page: deferred TLB flushing.
    /// </summary>
    Zap,
    /// <summary>MADV_DONTNEED returned: stale views of the page as it was when it was cleared are gone.</summary>
    ZapReturn,
    /// <summary>fork: the child's register takes the parent's value at some instant inside the call.</summary>
    ForkCopy,
}
