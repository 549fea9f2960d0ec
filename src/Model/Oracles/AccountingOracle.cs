using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// Oracle 6: counts agree with page tables. Checked when a frame is freed (nothing may still map or
/// cache it: pages are freed only after the flush, mmu_gather's whole point; for the device that
/// is its ATC, the IOMMU's IOTLB, and completions in flight it will cache) and at quiescence.
/// </summary>
internal static class AccountingOracle
{
    public static void CheckFree(Simulator s, int ai, int pfn)
    {
        MachineState m = s.M;
        s.OracleChecks[(int)OracleId.Accounting]++;
        if (m.Frames[pfn].MapCount != 0)
        {
            // free_pages_check(): bad_page(page, "nonzero mapcount").
            Violation bad = AccessOracle.At(s, OracleId.Accounting, ViolationCode.FreedWithMapcount, ai, pfn, -1, -1);
            bad.Value = m.Frames[pfn].MapCount;
            s.Violations.Report(bad);
            return;
        }
        for (int mm = 0; mm < m.Mms; mm++)
        {
            for (int va = 0; va < m.Pages; va++)
            {
                ref Pte p = ref m.PteAt(mm, va);
                if (p.Kind is not (PteKind.Present or PteKind.Migration) || p.Pfn != pfn) continue;
                Violation v = AccessOracle.At(s, OracleId.Accounting, ViolationCode.FreedWhileMapped, ai, pfn, mm, va);
                s.Violations.Report(v);
                return;
            }
        }
        int generation = m.Frames[pfn].Generation;
        if (FindCached(s, pfn, generation, out int holder, out int hmm, out int hva, out bool inFlight))
        {
            Violation v = AccessOracle.At(s, OracleId.Accounting, ViolationCode.FreedWhileCached, ai, pfn, hmm, hva);
            v.OtherAgent = holder;
            v.InFlight = inFlight;
            s.Violations.Report(v);
        }
    }

    public static void OverPut(Simulator s, int ai, int pfn)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Violations.Report(AccessOracle.At(s, OracleId.Accounting, ViolationCode.OverPut, ai, pfn, c.Mm, c.Va));
    }

    /// <summary>migration_entry_to_page() of a PTE that is not a migration entry: no struct page the kernel may touch.</summary>
    public static void NotMigrationEntry(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Violations.Report(AccessOracle.At(s, OracleId.Accounting, ViolationCode.NotMigrationEntry, ai, -1, c.Mm, c.Va));
    }

    /// <summary>All operations done: every frame's counts match its mappings, and every cached translation matches its PTE.</summary>
    public static void CheckQuiescent(Simulator s)
    {
        MachineState m = s.M;
        s.OracleChecks[(int)OracleId.Accounting]++;
        for (int pfn = Limits.ZeroPfn + 1; pfn < m.FrameCount; pfn++)
        {
            ref Frame f = ref m.Frames[pfn];
            int maps = CountMappings(m, pfn, out int anyMm, out int anyVa);
            if (f.IsFree)
            {
                if (maps > 0) Report(s, ViolationCode.PteToFreeFrame, pfn, anyMm, anyVa, maps, 0);
                continue;
            }
            int expected = maps + (f.InSwapCache ? 1 : 0);
            if (f.RefCount == 0 && expected == 0)
            {
                // Its last reference is gone (or frozen by __remove_mapping) but it never reached the allocator.
                Report(s, ViolationCode.Leak, pfn, anyMm, anyVa, 0, 0);
                return;
            }
            if (f.MapCount != maps)
            {
                Report(s, ViolationCode.MapcountMismatch, pfn, anyMm, anyVa, f.MapCount, maps);
                return;
            }
            if (f.RefCount != expected)
            {
                Report(s, expected == 0 ? ViolationCode.Leak : ViolationCode.RefcountMismatch, pfn, anyMm, anyVa, f.RefCount, expected);
                return;
            }
        }
        if (!CheckSwapSlots(s)) return;
        for (int cpu = 0; cpu < m.Cpus; cpu++)
        {
            int mm = s.Agents[cpu].Mm;
            for (int va = 0; va < m.Pages; va++)
            {
                if (Stale(m.TlbAt(cpu, mm, va), m.PteAt(mm, va)))
                {
                    ReportCached(s, cpu, mm, va, m.TlbAt(cpu, mm, va).Pfn);
                    return;
                }
            }
        }
        if (s.DeviceAgent < 0) return;
        for (int va = 0; va < m.Pages; va++)
        {
            if (Stale(m.Atc[va], m.PteAt(m.IommuMm, va)))
            {
                ReportCached(s, s.DeviceAgent, m.IommuMm, va, m.Atc[va].Pfn);
                return;
            }
            if (Stale(m.Iotlb[va], m.PteAt(m.IommuMm, va)))
            {
                ReportCached(s, s.IommuAgent, m.IommuMm, va, m.Iotlb[va].Pfn);
                return;
            }
        }
    }

    /// <summary>Every slot's swap_map count equals the swap PTEs that name it; a slot nothing refers to is free.</summary>
    private static bool CheckSwapSlots(Simulator s)
    {
        MachineState m = s.M;
        for (int slot = 0; slot < m.SwapSlots; slot++)
        {
            int ptes = 0, anyMm = -1, anyVa = -1;
            for (int mm = 0; mm < m.Mms; mm++)
            {
                for (int va = 0; va < m.Pages; va++)
                {
                    ref Pte p = ref m.PteAt(mm, va);
                    if (p.Kind != PteKind.Swap || p.Slot != slot) continue;
                    ptes++;
                    anyMm = mm;
                    anyVa = va;
                }
            }
            bool referenced = ptes > 0 || m.SwapCacheFrame[slot] >= 0;
            if (m.SwapCount[slot] == ptes && m.SwapUsed[slot] == referenced) continue;
            Violation v = Violation.Of(OracleId.Accounting, ViolationCode.SwapCountMismatch, s.Tick, -1);
            v.Pfn = slot;
            v.Mm = anyMm;
            v.Va = anyVa;
            v.Value = m.SwapCount[slot];
            v.Expected = ptes;
            s.Violations.Report(v);
            return false;
        }
        return true;
    }

    /// <summary>A cached translation that maps another frame than the PTE, or grants write the PTE does not.</summary>
    internal static bool Stale(in TlbEntry e, in Pte pte) =>
        e.Valid && (!pte.IsPresent || pte.Pfn != e.Pfn || (e.Writable && !pte.Writable));

    internal static bool FindCached(Simulator s, int pfn, int generation, out int holder, out int mm, out int va, out bool inFlight)
    {
        MachineState m = s.M;
        inFlight = false;
        for (int cpu = 0; cpu < m.Cpus; cpu++)
        {
            for (mm = 0; mm < m.Mms; mm++)
            {
                for (va = 0; va < m.Pages; va++)
                {
                    ref TlbEntry e = ref m.TlbAt(cpu, mm, va);
                    if (e.Valid && e.Pfn == pfn && e.Generation == generation)
                    {
                        holder = cpu;
                        return true;
                    }
                }
            }
        }
        if (s.DeviceAgent >= 0)
        {
            for (va = 0; va < m.Pages; va++)
            {
                mm = m.IommuMm;
                if (Caches(m.Atc[va], pfn, generation))
                {
                    holder = s.DeviceAgent;
                    return true;
                }
                // A stale IOTLB entry refills the ATC; a completion in flight will be cached.
                if (Caches(m.Iotlb[va], pfn, generation))
                {
                    holder = s.IommuAgent;
                    return true;
                }
                if (InFlight(m, va, out TlbEntry answer) && Caches(answer, pfn, generation))
                {
                    holder = s.DeviceAgent;
                    inFlight = true;
                    return true;
                }
            }
        }
        holder = mm = va = -1;
        return false;
    }

    private static bool Caches(in TlbEntry e, int pfn, int generation) => e.Valid && e.Pfn == pfn && e.Generation == generation;

    /// <summary>
    /// The translation a completion on its way to the device carries, when the device will cache it:
    /// answered, granted, and not discarded as stale (PCIe ATS). Such a translation is as good as cached.
    /// </summary>
    internal static bool InFlight(MachineState m, int va, out TlbEntry answer)
    {
        ref AtsRequest r = ref m.Ats[va];
        answer = r.Answer;
        return r.State == AtsState.Answered && r.Answer.Valid && !r.Stale;
    }

    private static int CountMappings(MachineState m, int pfn, out int anyMm, out int anyVa)
    {
        int n = 0;
        anyMm = anyVa = -1;
        for (int mm = 0; mm < m.Mms; mm++)
        {
            for (int va = 0; va < m.Pages; va++)
            {
                ref Pte p = ref m.PteAt(mm, va);
                if (p.Kind is not (PteKind.Present or PteKind.Migration) || p.Pfn != pfn) continue;
                n++;
                anyMm = mm;
                anyVa = va;
            }
        }
        return n;
    }

    private static void Report(Simulator s, ViolationCode code, int pfn, int mm, int va, int value, int expected)
    {
        Violation v = Violation.Of(OracleId.Accounting, code, s.Tick, -1);
        v.Pfn = pfn;
        v.Mm = mm;
        v.Va = va;
        v.Value = value;
        v.Expected = expected;
        s.Violations.Report(v);
    }

    private static void ReportCached(Simulator s, int holder, int mm, int va, int pfn)
    {
        Violation v = Violation.Of(OracleId.Accounting, ViolationCode.CachedAtQuiescence, s.Tick, holder);
        v.Pfn = pfn;
        v.Mm = mm;
        v.Va = va;
        ref Pte p = ref s.M.PteAt(mm, va);
        v.Expected = p.IsPresent ? p.Pfn : -1;
        s.Violations.Report(v);
    }
}
