using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// Bookkeeping for oracle 2: which versions of each PTE an operation is answerable for. A
/// MADV_DONTNEED (or fork) answers for every translation of a mapping that existed when it was
/// called or when it examined the PTE under the PTL: the nested-flush fix exists precisely because
/// it must also flush what another thread cleared before it looked. A mapping installed after it
/// looked is not its business (the thread that clears that one owes the flush).
/// </summary>
internal static class ScanOracle
{
    public static void Saw(Simulator s, int ai, int mm, int va)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int v = s.M.VersionOf(mm, va);
        if (v > c.Seen[va]) c.Seen[va] = v;
    }
}
