using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>Writing PTEs. Hardware walkers (other CPUs, the IOMMU) see each write at once.</summary>
internal static partial class Steps
{
    /// <summary>
    /// set_pte_at(): install the entry built earlier. When it installs a CoW copy, the register moves to
    /// the new frame: a write that reached the old frame after cow_user_page is lost, and if nobody
    /// else maps the old frame, any later write into it is lost too (the frame is retired).
    /// </summary>
    [Step(StepCategory.PteWrite, "write the PTE")]
    internal static bool set_pte_at(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        ref OpContext c = ref a.Ctx;
        int mm = MmOf(ref a, ins.Operand);
        if (ins.Operand == Operand.PteVal) c.NewEntry = c.PteVal;
        s.M.WritePte(mm, c.Va) = c.NewEntry;
        ref var ev = ref s.Trace.Last;
        ev.Mm = (sbyte)mm;
        ev.Pfn = c.NewEntry.Kind == PteKind.Swap ? c.NewEntry.Slot : c.NewEntry.Pfn;
        ev.Value = (int)c.NewEntry.Kind;
        ev.Detail = c.NewEntry.Writable ? 1 : 0;
        if (c.CopySrc >= 0 && c.CopyDst >= 0 && c.NewEntry.IsPresent && c.NewEntry.Pfn == c.CopyDst)
        {
            // A copy (CoW, migration) or a merge (KSM) now backs the register in place of CopySrc.
            LostWriteOracle.CheckCopyInstalled(s, ai, c.CopySrc, c.CopySeq, c.ClearedPfn, c.CopyDst, mm, c.Va);
            ref Frame old = ref s.M.Frames[c.CopySrc];
            bool backsSwap = old.InSwapCache && old.SwapSlot >= 0 && s.M.SwapCount[old.SwapSlot] > 0;
            if (!old.IsFree && !backsSwap && !s.M.AnyPteMaps(c.CopySrc)) old.Retired = true;
        }
        // A frame that is mapped again backs a register again (a swap-in of a swap cache page).
        if (c.NewEntry.IsPresent && c.NewEntry.Pfn != c.CopySrc) s.M.Frames[c.NewEntry.Pfn].Retired = false;
        return true;
    }

    /// <summary>
    /// x86 ptep_set_access_flags(): "changed = !pte_same(*ptep, entry); if (changed &amp;&amp; dirty) *ptep = entry;"
    /// Only ever adds permission or A/D bits, so no flush is needed.
    /// </summary>
    [Step(StepCategory.PteWrite, "update the PTE in place (more permissive: no flush needed)")]
    internal static bool ptep_set_access_flags(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte pte = ref s.M.PteAt(c.Mm, c.Va);
        s.Trace.Last.Pfn = c.NewEntry.Pfn;
        s.Trace.Last.Detail = c.NewEntry.Writable ? 1 : 0;
        if (pte.Same(c.NewEntry) || !c.Write) return false;
        s.M.WritePte(c.Mm, c.Va) = c.NewEntry;
        return true;
    }

    [Step(StepCategory.PteWrite, "atomically clear the PTE, keeping the old value (first half of ptep_clear_flush)")]
    internal static bool ptep_get_and_clear(Simulator s, int ai, in Instr ins) => PtepGetAndClear(s, ai);

    [Step(StepCategory.PteWrite, "atomically clear the PTE, keeping the old value (zap)")]
    internal static bool ptep_get_and_clear_full(Simulator s, int ai, in Instr ins) => PtepGetAndClear(s, ai);

    /// <summary>ptep_get_and_clear(): one atomic exchange; the old value (with any dirty bit) is returned.</summary>
    private static bool PtepGetAndClear(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte pte = ref s.M.PteAt(c.Mm, c.Va);
        Pte old = pte;
        c.PteVal = old;
        ScanOracle.Saw(s, ai, c.Mm, c.Va);
        s.M.WritePte(c.Mm, c.Va) = Pte.None;
        c.ClearedPfn = old.IsPresent ? old.Pfn : -1;
        if (old.IsPresent) s.Trace.Last.Pfn = old.Pfn;
        s.Trace.Last.Detail = old.Dirty ? 1 : 0;
        return old.IsPresent;
    }

    /// <summary>ptep_set_wrprotect(): clear the write bit of the parent's PTE in place (fork).</summary>
    [Step(StepCategory.PteWrite, "clear the parent's write bit (fork: both sides become CoW)")]
    internal static bool ptep_set_wrprotect(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte pte = ref s.M.PteAt(c.Mm, c.Va);
        if (pte.IsPresent) s.Trace.Last.Pfn = pte.Pfn;
        s.M.WritePte(c.Mm, c.Va).Writable = false;
        return true;
    }
}
