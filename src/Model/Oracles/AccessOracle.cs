using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// Checks made at the instant of a memory access, where the evidence is: use-after-free (oracle 3),
/// isolation (oracle 4) and writes into a retired frame (oracle 5).
/// </summary>
internal static class AccessOracle
{
    /// <summary>A CPU or device access through a cached translation filled when the frame had <paramref name="generation"/>.</summary>
    public static void Check(Simulator s, int ai, int pfn, int generation, bool write, int mm, int va)
    {
        s.OracleChecks[(int)OracleId.UseAfterFree]++;
        if (write)
        {
            s.OracleChecks[(int)OracleId.Isolation]++;
            s.OracleChecks[(int)OracleId.LostWrite]++;
        }
        ref Frame f = ref s.M.Frames[pfn];
        if (f.IsFree || f.Generation != generation)
        {
            Violation v = At(s, OracleId.UseAfterFree, f.IsFree ? ViolationCode.AccessFreedFrame : ViolationCode.AccessReusedFrame, ai, pfn, mm, va);
            v.Value = write ? s.Agents[ai].Ctx.Value : f.Content;
            v.Expected = write ? 1 : 0;
            s.Violations.Report(v);
            // Handed out again to another process: the stale access reads or corrupts its page.
            if (!f.IsFree && MappedByOtherMm(s, pfn, mm, out int ownerMm, out int ownerVa))
            {
                s.OracleChecks[(int)OracleId.Isolation]++;
                Violation leak = At(s, OracleId.Isolation, ViolationCode.StaleAccessOtherMm, ai, pfn, mm, va);
                leak.Value = v.Value;
                leak.Expected = v.Expected;
                leak.OtherMm = ownerMm;
                leak.OtherVa = ownerVa;
                s.Violations.Report(leak);
            }
            return;
        }
        if (!write) return;
        if (f.IsZero || f.IsKsm)
        {
            Violation v = At(s, OracleId.Isolation, ViolationCode.WriteToShared, ai, pfn, mm, va);
            v.Value = s.Agents[ai].Ctx.Value;
            v.Expected = f.IsZero ? 0 : 1;
            s.Violations.Report(v);
            return;
        }
        if (FindOtherMapping(s, pfn, mm, va, out int otherMm, out int otherVa))
        {
            Violation v = At(s, OracleId.Isolation, ViolationCode.WriteToShared, ai, pfn, mm, va);
            v.Value = s.Agents[ai].Ctx.Value;
            v.Expected = 2;
            v.OtherMm = otherMm;
            v.OtherVa = otherVa;
            s.Violations.Report(v);
            return;
        }
        if (f.Retired)
        {
            Violation v = At(s, OracleId.LostWrite, ViolationCode.WriteToRetired, ai, pfn, mm, va);
            v.Value = s.Agents[ai].Ctx.Value;
            s.Violations.Report(v);
        }
    }

    /// <summary>
    /// The swap device transfers a page (its DMA reads it for a write, writes it for a read): the
    /// frame must be the one the bio was built for, neither freed nor handed out again since.
    /// </summary>
    public static void SwapIo(Simulator s, int ai, int pfn, int generation, bool write)
    {
        s.OracleChecks[(int)OracleId.UseAfterFree]++;
        ref Frame f = ref s.M.Frames[pfn];
        if (!f.IsFree && f.Generation == generation) return;
        Violation v = At(s, OracleId.UseAfterFree, f.IsFree ? ViolationCode.AccessFreedFrame : ViolationCode.AccessReusedFrame, ai, pfn, -1, -1);
        v.Value = f.Content;
        v.Expected = write ? 3 : 4;
        s.Violations.Report(v);
    }

    /// <summary>The kernel reads a frame it should hold a reference to (cow_user_page, pages_identical, ...).</summary>
    public static void KernelRead(Simulator s, int ai, int pfn)
    {
        s.OracleChecks[(int)OracleId.UseAfterFree]++;
        ref Frame f = ref s.M.Frames[pfn];
        if (!f.IsFree) return;
        ref OpContext c = ref s.Agents[ai].Ctx;
        Violation v = At(s, OracleId.UseAfterFree, ViolationCode.AccessFreedFrame, ai, pfn, c.Mm, c.Va);
        v.Value = f.Content;
        v.Expected = 2;
        s.Violations.Report(v);
    }

    /// <summary>
    /// Another register whose PTE maps the frame. During a fork, the parent's threads may still
    /// write through translations cached before fork write-protected the page (flush_tlb_mm comes at
    /// the end of dup_mmap); the child's copy of that page is taken at some instant of the fork, so
    /// such writes are not a breach.
    /// </summary>
    private static bool FindOtherMapping(Simulator s, int pfn, int mm, int va, out int otherMm, out int otherVa)
    {
        MachineState m = s.M;
        bool forking = m.MmStates[mm].ForkInProgress;
        for (int m2 = 0; m2 < m.Mms; m2++)
        {
            if (!m.MmStates[m2].Exists) continue;
            for (int v2 = 0; v2 < m.Pages; v2++)
            {
                if (m2 == mm && v2 == va) continue;
                ref Pte p = ref m.PteAt(m2, v2);
                if (p.Kind is not (PteKind.Present or PteKind.Migration) || p.Pfn != pfn) continue;
                if (forking && m2 != mm && v2 == va) continue;
                otherMm = m2;
                otherVa = v2;
                return true;
            }
        }
        otherMm = otherVa = -1;
        return false;
    }

    /// <summary>A PTE of another mm (present or migration entry) that maps the frame.</summary>
    private static bool MappedByOtherMm(Simulator s, int pfn, int mm, out int otherMm, out int otherVa)
    {
        MachineState m = s.M;
        for (int m2 = 0; m2 < m.Mms; m2++)
        {
            if (m2 == mm || !m.MmStates[m2].Exists) continue;
            for (int v2 = 0; v2 < m.Pages; v2++)
            {
                ref Pte p = ref m.PteAt(m2, v2);
                if (p.Kind is not (PteKind.Present or PteKind.Migration) || p.Pfn != pfn) continue;
                otherMm = m2;
                otherVa = v2;
                return true;
            }
        }
        otherMm = otherVa = -1;
        return false;
    }

    internal static Violation At(Simulator s, OracleId oracle, ViolationCode code, int ai, int pfn, int mm, int va)
    {
        Violation v = Violation.Of(oracle, code, s.Tick, ai);
        v.HasStep = s.Trace.Count > 0 && s.Trace.Last.Kind == Trace.TraceKind.Step;
        v.Step = s.Trace.Last.Step;
        v.Pfn = pfn;
        v.Mm = mm;
        v.Va = va;
        return v;
    }
}
