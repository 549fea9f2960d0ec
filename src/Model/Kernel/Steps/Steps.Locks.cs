using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// mmap_sem, the page-table lock and the page lock. Taking a held lock is not enabled (the agent
/// waits); releasing a lock this agent does not hold does nothing, so a variant that removes a
/// lock step loses the mutual exclusion and nothing else.
/// </summary>
internal static partial class Steps
{
    [Step(StepCategory.Lock, "down_read(&mm->mmap_sem)", Ready = nameof(MmapReadable))]
    internal static bool down_read_mmap_sem(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        s.M.MmStates[a.Ctx.Mm].MmapReaders++;
        a.Ctx.MmapReadHeld |= (byte)(1 << a.Ctx.Mm);
        return true;
    }

    [Step(StepCategory.Unlock, "up_read(&mm->mmap_sem)")]
    internal static bool up_read_mmap_sem(Simulator s, int ai, in Instr ins)
    {
        ref AgentState a = ref s.Agents[ai];
        byte bit = (byte)(1 << a.Ctx.Mm);
        if ((a.Ctx.MmapReadHeld & bit) == 0) return false;
        a.Ctx.MmapReadHeld &= (byte)~bit;
        s.M.MmStates[a.Ctx.Mm].MmapReaders--;
        return true;
    }

    /// <summary>down_write(&amp;mm->mmap_sem) of the operation's mm, or (operand child) of fork's child: dup_mmap's down_write_nested.</summary>
    [Step(StepCategory.Lock, "down_write(&mm->mmap_sem)", Ready = nameof(MmapWritable))]
    internal static bool down_write_mmap_sem(Simulator s, int ai, in Instr ins)
    {
        int mm = MmOf(ref s.Agents[ai], ins.Operand);
        s.M.MmStates[mm].MmapWriter = (byte)(ai + 1);
        s.Trace.Last.Mm = (sbyte)mm;
        return true;
    }

    [Step(StepCategory.Unlock, "up_write(&mm->mmap_sem)")]
    internal static bool up_write_mmap_sem(Simulator s, int ai, in Instr ins)
    {
        int mm = MmOf(ref s.Agents[ai], ins.Operand);
        ref byte writer = ref s.M.MmStates[mm].MmapWriter;
        s.Trace.Last.Mm = (sbyte)mm;
        if (writer != ai + 1) return false;
        writer = 0;
        return true;
    }

    [Step(StepCategory.Lock, "map the PTE and take the page-table lock", Ready = nameof(PtlFree))]
    internal static bool pte_offset_map_lock(Simulator s, int ai, in Instr ins) => PtlLock(s, ai, ins.Operand);

    [Step(StepCategory.Lock, "fork: take the child's page-table lock", Ready = nameof(PtlFree))]
    internal static bool pte_alloc_map_lock(Simulator s, int ai, in Instr ins) => PtlLock(s, ai, ins.Operand);

    [Step(StepCategory.Lock, "spin_lock(vmf->ptl): take the page-table lock", Ready = nameof(PtlFree))]
    internal static bool spin_lock(Simulator s, int ai, in Instr ins) => PtlLock(s, ai, ins.Operand);

    [Step(StepCategory.Lock, "fork: take the parent's page-table lock (src_ptl)", Ready = nameof(PtlFree))]
    internal static bool spin_lock_nested(Simulator s, int ai, in Instr ins) => PtlLock(s, ai, ins.Operand);

    private static bool PtlLock(Simulator s, int ai, Operand operand)
    {
        int mm = MmOf(ref s.Agents[ai], operand);
        s.M.Ptl(mm, s.Agents[ai].Ctx.Va) = (byte)(ai + 1);
        s.Trace.Last.Mm = (sbyte)mm;
        return true;
    }

    [Step(StepCategory.Unlock, "drop the page-table lock")]
    internal static bool pte_unmap_unlock(Simulator s, int ai, in Instr ins) => PtlUnlock(s, ai, ins.Operand);

    [Step(StepCategory.Unlock, "fork: drop the parent's page-table lock (src_ptl)")]
    internal static bool spin_unlock(Simulator s, int ai, in Instr ins) => PtlUnlock(s, ai, ins.Operand);

    private static bool PtlUnlock(Simulator s, int ai, Operand operand)
    {
        int mm = MmOf(ref s.Agents[ai], operand);
        ref byte owner = ref s.M.Ptl(mm, s.Agents[ai].Ctx.Va);
        s.Trace.Last.Mm = (sbyte)mm;
        if (owner != ai + 1) return false;
        owner = 0;
        return true;
    }

    [Step(StepCategory.Lock, "lock_page(): sleep until PG_locked is ours", Ready = nameof(PageUnlocked))]
    internal static bool lock_page(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].LockedBy = (byte)(ai + 1);
        return true;
    }

    [Step(StepCategory.Lock, "trylock_page(): take PG_locked if free")]
    internal static bool trylock_page(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return true;
        ref byte holder = ref s.M.Frames[pfn].LockedBy;
        if (holder != 0) return false;
        holder = (byte)(ai + 1);
        return true;
    }

    [Step(StepCategory.Unlock, "unlock_page()")]
    internal static bool unlock_page(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        ref byte holder = ref s.M.Frames[pfn].LockedBy;
        if (holder != ai + 1) return false;
        holder = 0;
        return true;
    }

    /// <summary>
    /// wait_on_page_locked(page): sleep until PG_locked is clear, without taking it: a fault on a
    /// migration entry waits for the migration (__migration_entry_wait), a user fault on a locked
    /// swap cache page for its holder or its read from swap (__lock_page_or_retry).
    /// </summary>
    [Step(StepCategory.Wait, "wait_on_page_locked(page): sleep until the page is unlocked (by the migration, the lock holder, or the end of its read from swap)", Ready = nameof(PageUnlocked))]
    internal static bool wait_on_page_locked(Simulator s, int ai, in Instr ins)
    {
        s.Trace.Last.Pfn = (short)PageOf(ref s.Agents[ai], ins.Operand);
        return true;
    }


    // Readiness of the blocking steps: taking a held lock is not enabled (the agent waits).

    private static bool MmapReadable(Simulator s, int ai, in Instr ins) =>
        s.M.MmStates[s.Agents[ai].Ctx.Mm].MmapWriter == 0;

    private static bool MmapWritable(Simulator s, int ai, in Instr ins)
    {
        int mm = MmOf(ref s.Agents[ai], ins.Operand);
        return s.M.MmStates[mm].MmapWriter == 0 && s.M.MmStates[mm].MmapReaders == 0;
    }

    private static bool PtlFree(Simulator s, int ai, in Instr ins) =>
        s.M.Ptl(MmOf(ref s.Agents[ai], ins.Operand), s.Agents[ai].Ctx.Va) == 0;

    private static bool PageUnlocked(Simulator s, int ai, in Instr ins)
    {
        int pfn = PageOf(ref s.Agents[ai], ins.Operand);
        return pfn < 0 || s.M.Frames[pfn].LockedBy == 0;
    }

}
