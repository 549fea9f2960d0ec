using Fuzz.Model.Machine;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Oracles;

/// <summary>
/// Oracle 2, checked when an operation whose contract removes or downgrades translations returns:
/// MADV_DONTNEED (every page of its range: "subsequent accesses ... will result in zero-fill-on-
/// demand pages") and fork (the parent's pages are write-protected: no CPU or the device may keep a
/// writable translation of a page that is now CoW-shared). The device's translations are its ATC,
/// the IOMMU's IOTLB (which refills the ATC) and the completions in flight it will cache. It answers only for translations of
/// mappings it saw (<see cref="ScanOracle"/>). Page faults promise no flush of other threads'
/// deferred changes, so they are not checked here; their coherence is oracles 1, 3-5.
/// </summary>
internal static class StaleTlbOracle
{
    public static void CheckReturn(Simulator s, int ai, Operation op)
    {
        switch (op.Kind)
        {
            case OpKind.MadviseDontneed:
                CheckRange(s, ai, s.Agents[ai].Ctx.Mm, op.Va, op.VaLast, writableOnly: false);
                break;
            case OpKind.Fork:
                CheckRange(s, ai, s.Agents[ai].Ctx.Mm, 0, s.M.Pages - 1, writableOnly: true);
                break;
        }
    }

    /// <param name="writableOnly">fork only downgrades: it answers for writable translations, not for
    /// mappings a concurrent MADV_DONTNEED removed after fork released mmap_sem.</param>
    private static void CheckRange(Simulator s, int ai, int mm, int first, int last, bool writableOnly)
    {
        MachineState m = s.M;
        s.OracleChecks[(int)OracleId.StaleTlb]++;
        for (int va = first; va <= last; va++)
        {
            ref Pte pte = ref m.PteAt(mm, va);
            int seen = s.Agents[ai].Ctx.Seen[va];
            for (int cpu = 0; cpu < m.Cpus; cpu++)
            {
                if (s.Agents[cpu].Mm != mm) continue;
                ref TlbEntry e = ref m.TlbAt(cpu, mm, va);
                if (Answerable(e, pte, seen, writableOnly))
                {
                    Report(s, ai, cpu, mm, va, e, pte);
                    return;
                }
            }
            if (m.IommuMm != mm) continue;
            if (Answerable(m.Atc[va], pte, seen, writableOnly))
            {
                Report(s, ai, s.DeviceAgent, mm, va, m.Atc[va], pte);
                return;
            }
            // The IOMMU's IOTLB answers the device's next request before any walk: a stale entry
            // there refills the ATC, so it counts as much as a stale ATC entry.
            if (Answerable(m.Iotlb[va], pte, seen, writableOnly))
            {
                Report(s, ai, s.IommuAgent, mm, va, m.Iotlb[va], pte);
                return;
            }
            // So does a Translation Completion in flight that the device will cache (one not
            // discarded as stale).
            if (AccountingOracle.InFlight(m, va, out TlbEntry answer) && Answerable(answer, pte, seen, writableOnly))
            {
                Report(s, ai, s.DeviceAgent, mm, va, answer, pte, inFlight: true);
                return;
            }
        }
    }

    private static bool Answerable(in TlbEntry e, in Pte pte, int seen, bool writableOnly) =>
        AccountingOracle.Stale(e, pte) && e.PteVersion <= seen && (!writableOnly || e.Writable);

    private static void Report(Simulator s, int ai, int holder, int mm, int va, in TlbEntry e, in Pte pte, bool inFlight = false)
    {
        Violation v = Violation.Of(OracleId.StaleTlb, ViolationCode.StaleAfterReturn, s.Tick, ai);
        v.InFlight = inFlight;
        v.Mm = mm;
        v.Va = va;
        v.Pfn = e.Pfn;
        v.Value = e.Writable ? 1 : 0;
        v.Expected = pte.IsPresent ? pte.Pfn : -1;
        v.OtherAgent = holder;
        v.OtherTick = e.FillTick;
        s.Violations.Report(v);
    }
}
