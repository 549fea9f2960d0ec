namespace Fuzz.Model.Oracles;

/// <summary>What an operation does to one (mm, page) register, for the linearizability check.</summary>
public enum HistoryKind : byte
{
    /// <summary>A load or DMA read; Value is what it returned.</summary>
    Read,
    /// <summary>A store or DMA write; Value is what it wrote.</summary>
    Write,
    /// <summary>MADV_DONTNEED: the register becomes 0 at some instant inside the call.</summary>
    Zap,
    /// <summary>fork: the child's register takes the parent's value at some instant inside the call.</summary>
    ForkCopy,
}
