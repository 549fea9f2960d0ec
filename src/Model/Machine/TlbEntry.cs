namespace Fuzz.Model.Machine;

/// <summary>
/// A cached translation: a CPU TLB entry or a device ATC entry. It keeps the frame generation it was
/// filled from, so a later access can tell a reused frame from the one the walk saw.
/// </summary>
public struct TlbEntry
{
    public bool Valid;
    public bool Writable;
    /// <summary>The dirty bit as cached: a store through a clean entry makes the CPU set the PTE's dirty bit.</summary>
    public bool Dirty;
    public short Pfn;
    public int Generation;
    /// <summary>The PTE's version (<see cref="MachineState.PteVersion"/>) when the entry was filled.</summary>
    public int PteVersion;
    public int FillTick;
}
