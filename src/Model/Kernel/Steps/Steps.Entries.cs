using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>Local computations of the entry to install, and the argument shuffles between calls.</summary>
internal static partial class Steps
{
    /// <summary>write_protect_page(): "entry = pte_mkclean(pte_wrprotect(entry))" from the value the clear returned.</summary>
    [Step(StepCategory.Entry, "entry = pte_mkclean(pte_wrprotect(entry)) from the value the clear returned", Local = true)]
    internal static bool pte_mkclean(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.NewEntry = c.PteVal;
        c.NewEntry.Writable = false;
        c.NewEntry.Dirty = false;
        return true;
    }

    /// <summary>try_to_unmap_one(): "swp_pte = swp_entry_to_pte(entry)", entry = the page's swap slot.</summary>
    [Step(StepCategory.Entry, "swp_pte = swp_entry_to_pte(entry): a swap entry for the page's slot", Local = true)]
    internal static bool swp_entry_to_pte(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int slot = c.OldPfn >= 0 ? s.M.Frames[c.OldPfn].SwapSlot : -1;
        c.NewEntry = Pte.SwapEntry(slot);
        return slot >= 0;
    }

    /// <summary>try_to_unmap_one(): "entry = make_migration_entry(subpage, pte_write(pteval))".</summary>
    [Step(StepCategory.Entry, "swp_pte = make_migration_entry(page, pte_write(pteval))", Local = true)]
    internal static bool make_migration_entry(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.NewEntry = Pte.MigrationEntry(c.OldPfn, c.PteVal.Writable);
        return true;
    }

    /// <summary>write_protect_page(): "*orig_pte = *pvmw.pte".</summary>
    [Step(StepCategory.Entry, "*orig_pte = *pvmw.pte: the value replace_page() will recheck with pte_same()", Local = true)]
    internal static bool orig_pte_snapshot(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.OrigPte = s.M.PteAt(c.Mm, c.Va);
        return true;
    }

    /// <summary>try_to_merge_two_pages(): the second call merges tree_page into page, which is now the KSM page.</summary>
    [Step(StepCategory.Entry, "try_to_merge_two_pages(): next, merge tree_page into page (now the KSM page)", Local = true, Model = true)]
    internal static bool tree_page(Simulator s, int ai, in Instr ins)
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
    [Step(StepCategory.Check, "rc == MIGRATEPAGE_SUCCESS: migration entries become newpage, else page again", Local = true)]
    internal static bool migrate_target(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        // rc comes from migrate_page_move_mapping(); migrate_page_copy() returns nothing.
        bool moved = c.NewPfn >= 0 && c.Moved;
        c.TargetPfn = moved ? c.NewPfn : c.OldPfn;
        return moved;
    }
}
