using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// Oracle 5: a completed write dropped by a copy. When a copy of a frame (CoW, migration, KSM) is
/// installed as the register's new frame, every write that reached the old frame after the copy
/// was taken is lost. (Writes after installation, through stale translations, are caught by
/// <see cref="AccessOracle"/> on the retired frame.)
/// </summary>
internal static class LostWriteOracle
{
    public static void CheckCopyInstalled(Simulator s, int ai, int src, int copySeq, int mm, int va)
    {
        ref Frame f = ref s.M.Frames[src];
        if (f.WriteSeq == copySeq || f.LastWriter < 0) return;
        if (s.Agents[f.LastWriter].Mm != mm) return;
        Violation v = AccessOracle.At(s, OracleId.LostWrite, ViolationCode.WriteAfterCopy, ai, src, mm, va);
        v.Value = f.Content;
        v.OtherAgent = f.LastWriter;
        v.OtherTick = f.LastWriteTick;
        s.Violations.Report(v);
    }
}
