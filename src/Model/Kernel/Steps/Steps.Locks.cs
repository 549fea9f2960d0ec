using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// mmap_sem, the page-table lock and the page lock. Taking a held lock is not enabled (the agent
/// waits); releasing a lock this agent does not hold does nothing, so a variant that removes a
/// lock step loses the mutual exclusion and nothing else.
/// </summary>
internal static partial class Steps
{
    private static bool DownRead(Simulator s, int ai)
    {
        ref AgentState a = ref s.Agents[ai];
        s.M.MmStates[a.Ctx.Mm].MmapReaders++;
        a.Ctx.MmapReadHeld |= (byte)(1 << a.Ctx.Mm);
        return true;
    }

    private static bool UpRead(Simulator s, int ai)
    {
        ref AgentState a = ref s.Agents[ai];
        byte bit = (byte)(1 << a.Ctx.Mm);
        if ((a.Ctx.MmapReadHeld & bit) == 0) return false;
        a.Ctx.MmapReadHeld &= (byte)~bit;
        s.M.MmStates[a.Ctx.Mm].MmapReaders--;
        return true;
    }

    /// <summary>down_write(&amp;mm->mmap_sem) of the operation's mm, or (operand child) of fork's child: dup_mmap's down_write_nested.</summary>
    private static bool DownWrite(Simulator s, int ai, Operand operand)
    {
        int mm = MmOf(ref s.Agents[ai], operand);
        s.M.MmStates[mm].MmapWriter = (byte)(ai + 1);
        s.Trace.Last.Mm = (sbyte)mm;
        return true;
    }

    private static bool UpWrite(Simulator s, int ai, Operand operand)
    {
        int mm = MmOf(ref s.Agents[ai], operand);
        ref byte writer = ref s.M.MmStates[mm].MmapWriter;
        s.Trace.Last.Mm = (sbyte)mm;
        if (writer != ai + 1) return false;
        writer = 0;
        return true;
    }

    private static bool PtlLock(Simulator s, int ai, Operand operand)
    {
        int mm = MmOf(ref s.Agents[ai], operand);
        s.M.MmStates[mm].PtlOwner = (byte)(ai + 1);
        s.Trace.Last.Mm = (sbyte)mm;
        return true;
    }

    private static bool PtlUnlock(Simulator s, int ai, Operand operand)
    {
        int mm = MmOf(ref s.Agents[ai], operand);
        ref byte owner = ref s.M.MmStates[mm].PtlOwner;
        s.Trace.Last.Mm = (sbyte)mm;
        if (owner != ai + 1) return false;
        owner = 0;
        return true;
    }

    private static bool LockPage(Simulator s, int ai, Operand operand)
    {
        int pfn = PageOf(ref s.Agents[ai], operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        s.M.Frames[pfn].LockedBy = (byte)(ai + 1);
        return true;
    }

    private static bool TrylockPage(Simulator s, int ai, Operand operand)
    {
        int pfn = PageOf(ref s.Agents[ai], operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return true;
        ref byte holder = ref s.M.Frames[pfn].LockedBy;
        if (holder != 0) return false;
        holder = (byte)(ai + 1);
        return true;
    }

    private static bool UnlockPage(Simulator s, int ai, Operand operand)
    {
        int pfn = PageOf(ref s.Agents[ai], operand);
        s.Trace.Last.Pfn = (short)pfn;
        if (pfn < 0) return false;
        ref byte holder = ref s.M.Frames[pfn].LockedBy;
        if (holder != ai + 1) return false;
        holder = 0;
        return true;
    }
}
