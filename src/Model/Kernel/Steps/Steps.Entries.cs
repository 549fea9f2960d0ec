using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>Local computations of the entry to install, and the argument shuffles between calls.</summary>
internal static partial class Steps
{
    /// <summary>write_protect_page(): "entry = pte_mkclean(pte_wrprotect(entry))" from the value the clear returned.</summary>
    private static bool PteMkclean(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.NewEntry = c.PteVal;
        c.NewEntry.Writable = false;
        c.NewEntry.Dirty = false;
        return true;
    }

    /// <summary>try_to_unmap_one(): "swp_pte = swp_entry_to_pte(entry)", entry = the page's swap slot.</summary>
    private static bool SwpEntryToPte(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int slot = c.OldPfn >= 0 ? s.M.Frames[c.OldPfn].SwapSlot : -1;
        c.NewEntry = Pte.SwapEntry(slot);
        return slot >= 0;
    }

    /// <summary>try_to_unmap_one(): "entry = make_migration_entry(subpage, pte_write(pteval))".</summary>
    private static bool MakeMigrationEntry(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.NewEntry = Pte.MigrationEntry(c.OldPfn, c.PteVal.Writable);
        return true;
    }

    /// <summary>write_protect_page(): "*orig_pte = *pvmw.pte".</summary>
    private static bool OrigPteSnapshot(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.OrigPte = s.M.PteAt(c.Mm, c.Va);
        return true;
    }

    /// <summary>try_to_merge_two_pages(): the second call merges tree_page into page, which is now the KSM page.</summary>
    private static bool TreePageArgs(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.KPfn = c.OldPfn;
        c.OldPfn = c.TreePfn;
        c.TreePfn = -1;
        c.Mm = c.Mm2;
        c.Va = c.Va2;
        return true;
    }

    /// <summary>__unmap_and_move(): "remove_migration_ptes(page, rc == MIGRATEPAGE_SUCCESS ? newpage : page)".</summary>
    private static bool MigrateTarget(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        // rc comes from migrate_page_move_mapping(); migrate_page_copy() returns nothing.
        bool moved = c.NewPfn >= 0 && c.Moved;
        c.TargetPfn = moved ? c.NewPfn : c.OldPfn;
        return moved;
    }
}
