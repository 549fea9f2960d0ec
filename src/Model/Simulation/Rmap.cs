using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;

namespace Fuzz.Model.Simulation;

/// <summary>
/// The reverse-map walk (rmap_walk): the (mm, address) of every PTE mapping a page, in a fixed
/// order, found afresh at each step as the kernel walks the anon_vma chain without the PTL (each
/// visit then takes the PTL and rechecks with page_vma_mapped_walk). Operand Migration walks the
/// migration entries of the page instead (remove_migration_ptes).
/// </summary>
internal static class Rmap
{
    public static bool First(Simulator s, ref OpContext c, Operand which) => Find(s, ref c, which, 0);

    public static bool Next(Simulator s, ref OpContext c, Operand which) =>
        Find(s, ref c, which, c.Mm * s.M.Pages + c.Va + 1);

    private static bool Find(Simulator s, ref OpContext c, Operand which, int from)
    {
        MachineState m = s.M;
        int pfn = c.OldPfn;
        if (pfn < 0) return false;
        PteKind want = which == Operand.Migration ? PteKind.Migration : PteKind.Present;
        for (int i = from; i < m.Mms * m.Pages; i++)
        {
            ref Pte p = ref m.PageTable[i];
            if (p.Kind != want || p.Pfn != pfn) continue;
            c.Mm = i / m.Pages;
            c.Va = i % m.Pages;
            return true;
        }
        return false;
    }
}
