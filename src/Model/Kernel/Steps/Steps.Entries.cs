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
    [Step(StepCategory.Entry, "*orig_pte = *pte under the PTL: the value a later pte_same() rechecks (write_protect_page for replace_page; do_swap_page for do_wp_page)", Local = true)]
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

    /// <summary>do_swap_page(): "vmf->flags &amp;= ~FAULT_FLAG_WRITE" once the swapped-in page is mapped writable.</summary>
    [Step(StepCategory.Entry, "vmf->flags &= ~FAULT_FLAG_WRITE: the write fault is done (do_swap_page reused the page)", Local = true)]
    internal static bool clear_fault_flag_write(Simulator s, int ai, in Instr ins)
    {
        s.Agents[ai].Ctx.FaultWrite = false;
        return true;
    }

    /// <summary>break_ksm(): handle_mm_fault(vma, addr, FAULT_FLAG_WRITE | FAULT_FLAG_REMOTE).</summary>
    [Step(StepCategory.Entry, "FAULT_FLAG_WRITE | FAULT_FLAG_REMOTE: the fault ksmd takes to break a KSM page is a write fault", Local = true)]
    internal static bool fault_flag_write(Simulator s, int ai, in Instr ins)
    {
        s.Agents[ai].Ctx.Write = true;
        return true;
    }

    /// <summary>try_to_merge_two_pages(): break_cow(rmap_item) acts on the first page's mm and address.</summary>
    [Step(StepCategory.Entry, "break_cow(rmap_item): back to the first page's mm and address", Local = true, Model = true)]
    internal static bool rmap_item(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        if (a.CurOp < 0) return false;
        a.Ctx.Mm = s.Ops[a.CurOp].Mm;
        a.Ctx.Va = s.Ops[a.CurOp].Va;
        return true;
    }

}
