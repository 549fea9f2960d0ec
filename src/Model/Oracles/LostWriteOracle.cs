using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// Oracle 5: a completed write dropped by a copy. When a copy of a frame (CoW, migration, KSM) is
/// installed as the register's new frame, it loses (a) every write that reached the source after
/// the copy was taken, and (b) the data of the frame it replaces, if that is not the source (the
/// PTE changed under the copier: the pte_same recheck exists for this). Writes after installation,
/// through stale translations, are caught by <see cref="AccessOracle"/> on the retired frame.
/// </summary>
internal static class LostWriteOracle
{
    public static void CheckCopyInstalled(Simulator s, int ai, int src, int copySeq, int replaced, int copy, int mm, int va)
    {
        s.OracleChecks[(int)OracleId.LostWrite]++;
        if (replaced >= 0 && replaced != src && s.M.Frames[replaced].Content != s.M.Frames[copy].Content)
        {
            ref Frame r = ref s.M.Frames[replaced];
            Violation lost = AccessOracle.At(s, OracleId.LostWrite, ViolationCode.ReplacedOther, ai, replaced, mm, va);
            lost.Value = r.Content;
            lost.Expected = src;
            lost.OtherAgent = r.LastWriter;
            lost.OtherTick = r.LastWriteTick;
            s.Violations.Report(lost);
            return;
        }
        ref Frame f = ref s.M.Frames[src];
        if (f.WriteSeq == copySeq || f.LastWriter < 0) return;
        if (s.Agents[f.LastWriter].Mm != mm && s.Agents[f.LastWriter].Kind == Scenarios.AgentKind.Cpu) return;
        Violation v = AccessOracle.At(s, OracleId.LostWrite, ViolationCode.WriteAfterCopy, ai, src, mm, va);
        v.Value = f.Content;
        v.OtherAgent = f.LastWriter;
        v.OtherTick = f.LastWriteTick;
        s.Violations.Report(v);
    }

    /// <summary>
    /// Reclaim frees a clean swap-cache page whose slot a swap PTE still names: a write that reached
    /// the page after the swap device last read it for the slot (<see cref="Frame.SwapSeq"/>; a
    /// stale writable translation that try_to_unmap_flush_dirty() should have removed) is lost.
    /// </summary>
    public static void CheckWriteback(Simulator s, int ai, int pfn, int writebackSeq)
    {
        s.OracleChecks[(int)OracleId.LostWrite]++;
        ref Frame f = ref s.M.Frames[pfn];
        if (f.WriteSeq == writebackSeq || f.LastWriter < 0) return;
        Violation v = AccessOracle.At(s, OracleId.LostWrite, ViolationCode.WriteAfterWriteback, ai, pfn, -1, -1);
        v.Value = f.Content;
        v.OtherAgent = f.LastWriter;
        v.OtherTick = f.LastWriteTick;
        s.Violations.Report(v);
    }
}
