using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Reporting.Text;

/// <summary>A violation in words a kernel engineer reads: which oracle, which agent, which step, which values.</summary>
public static class ViolationText
{
    public static string Describe(Simulator s, in Violation v)
    {
        string who = v.Agent >= 0 ? s.AgentNames[v.Agent] : "at quiescence";
        string at = v.HasStep ? $" in {StepCatalog.Name(v.Step)}" : "";
        string where = v.Mm >= 0 && v.Va >= 0 ? $"{Names.Mm(v.Mm)} {Names.Page(v.Va)}" : "";
        string other = v.OtherAgent >= 0 ? s.AgentNames[v.OtherAgent] : "?";
        string what = v.Code switch
        {
            ViolationCode.NotLinearizable => Linearizability(s, v),
            ViolationCode.StaleAfterReturn =>
                $"{OpName(s, v.Agent, v.Tick)} returned while {Holder(s, v)} {where} -> pfn {v.Pfn} {(v.Value == 1 ? "rw" : "ro")} " +
                $"({(v.InFlight ? "walked" : "filled")} at tick {v.OtherTick}); the PTE {(v.Expected >= 0 ? $"maps pfn {v.Expected}" : "is not present")}",
            ViolationCode.AccessFreedFrame or ViolationCode.AccessReusedFrame when v.Expected >= 3 =>
                $"{who}{at}: the swap {(v.Expected == 3 ? "write's DMA reads" : "read's DMA writes")} pfn {v.Pfn}, which was {(v.Code == ViolationCode.AccessFreedFrame ? "freed" : "freed and handed out again")} after the bio was submitted",
            ViolationCode.AccessFreedFrame when v.Expected == 2 => $"{who}{at} reads pfn {v.Pfn} ({where}) after it was freed",
            ViolationCode.AccessFreedFrame => $"{who} {(v.Expected == 1 ? "writes" : "reads")} {where} through a cached translation to pfn {v.Pfn}, which is free",
            ViolationCode.AccessReusedFrame => $"{who} {(v.Expected == 1 ? "writes" : "reads")} {where} through a cached translation to pfn {v.Pfn}, which was freed and handed out again",
            ViolationCode.StaleAccessOtherMm => $"{who} {(v.Expected == 1 ? "writes" : "reads")} {where} through a stale translation to pfn {v.Pfn}, which {Names.Mm(v.OtherMm)} {Names.Page(v.OtherVa)} now maps: another process's page",
            ViolationCode.WriteToShared when v.Expected == 0 => $"{who} writes {v.Value} to {where} into the zero page",
            ViolationCode.WriteToShared when v.Expected == 1 => $"{who} writes {v.Value} to {where} into KSM page pfn {v.Pfn}",
            ViolationCode.WriteToShared => $"{who} writes {v.Value} to {where} into pfn {v.Pfn}, which {Names.Mm(v.OtherMm)} {Names.Page(v.OtherVa)} maps",
            ViolationCode.ValueFromOtherMm => $"{who} {(v.Op >= 0 ? s.Ops[v.Op].ToString() : "read")} in {Names.Mm(v.Mm)} returned {v.Value}, which only {other}'s {(v.OtherOp >= 0 ? s.Ops[v.OtherOp].ToString() : "write")} in {Names.Mm(v.OtherMm)} wrote (tick {v.OtherTick}): another process's data",
            ViolationCode.WriteAfterCopy => $"{other}'s write of {v.Value} at tick {v.OtherTick} landed in pfn {v.Pfn} after it was copied; {who}{at} installed the copy for {where}, so the write is lost",
            ViolationCode.WriteAfterWriteback => $"{other}'s write of {v.Value} at tick {v.OtherTick} reached pfn {v.Pfn} after the swap device had written it to its slot; {who}{at} frees it, so the write is lost",
            ViolationCode.WriteToRetired => $"{who} writes {v.Value} to {where} into pfn {v.Pfn}, which no longer backs any page (its copy was installed): the write is lost",
            ViolationCode.ReplacedOther => $"{who}{at} installs for {where} a copy of pfn {v.Expected}, but the PTE had meanwhile moved to pfn {v.Pfn} (holding {v.Value}{(v.OtherAgent >= 0 ? $", written by {other} at tick {v.OtherTick}" : "")}): that data is lost",
            ViolationCode.FreedWhileMapped => $"{who}{at} frees pfn {v.Pfn} while {where} still maps it",
            ViolationCode.FreedWhileCached => $"{who}{at} frees pfn {v.Pfn} while {Holder(s, v)} a translation to it ({where})",
            ViolationCode.FreedWithMapcount => $"{who}{at} frees pfn {v.Pfn} with mapcount {v.Value} (bad_page: nonzero mapcount)",
            ViolationCode.RefcountMismatch => $"pfn {v.Pfn}: refcount {v.Value}, but {v.Expected} expected from its mappings",
            ViolationCode.MapcountMismatch => $"pfn {v.Pfn}: mapcount {v.Value}, but {v.Expected} PTE(s) map it",
            ViolationCode.Leak => v.Value == 0
                ? $"pfn {v.Pfn} leaked: refcount 0 but never freed to the allocator"
                : $"pfn {v.Pfn} leaked: refcount {v.Value} and nothing maps it",
            ViolationCode.PteToFreeFrame => $"{where} maps pfn {v.Pfn}, which is free",
            ViolationCode.CachedAtQuiescence => $"after every operation returned, {who} still caches {where} -> pfn {v.Pfn}; the PTE {(v.Expected >= 0 ? $"maps pfn {v.Expected}" : "is not present")}",
            ViolationCode.SwapCountMismatch => $"swap slot {v.Pfn}: swap_map count {v.Value}, but {v.Expected} swap PTE(s) name it",
            ViolationCode.OverPut => $"{who}{at} drops a reference pfn {v.Pfn} does not have",
            ViolationCode.NotMigrationEntry => $"{who}{at} decodes a struct page from {where}, whose PTE holds no migration entry (migration_entry_to_page() of it: BUG_ON(!PageLocked) or a wild pointer)",
            ViolationCode.Deadlock => $"deadlock: {who} waits{at}{(v.OtherAgent >= 0 ? $" for {other}" : "")} and no agent can run",
            ViolationCode.FaultLoop => $"{who} faulted {v.Value} times on {where} with no other agent able to run: an endless fault loop",
            ViolationCode.ZeroTimeLoop => $"{who} loops in its recipe without taking any step",
            ViolationCode.TickLimit => $"no end after {v.Value} ticks: livelock",
            _ => v.Code.ToString(),
        };
        return $"{OracleNames.Name(v.Oracle)}: {what} (tick {v.Tick})";
    }

    /// <summary>Who still holds a translation, and where: a CPU's TLB, the device's ATC, the IOMMU's IOTLB, or a completion in flight.</summary>
    private static string Holder(Simulator s, in Violation v)
    {
        if (v.OtherAgent < 0) return "? still caches";
        string name = s.AgentNames[v.OtherAgent];
        if (v.InFlight) return $"a Translation Completion the {name} will cache carries";
        if (v.OtherAgent == s.IommuAgent) return $"the {name}'s IOTLB (which refills the device's ATC) still caches";
        if (v.OtherAgent == s.DeviceAgent) return $"the {name}'s ATC still caches";
        return $"{name} still caches";
    }

    private static string Linearizability(Simulator s, in Violation v)
    {
        string who = s.AgentNames[v.Agent];
        string op = v.Op >= 0 ? s.Ops[v.Op].ToString() : "?";
        string reg = $"{Names.Mm(v.Mm)} {Names.Page(v.Va)}";
        bool read = v.Op >= 0 && s.Ops[v.Op].Kind is OpKind.Load or OpKind.DmaRead;
        string head = read ? $"{who} {op} returned {v.Value}" : $"{who} {op}";
        if (v.OtherOp >= 0)
        {
            return $"{head}, but {s.AgentNames[v.OtherAgent]}'s {s.Ops[v.OtherOp]} had completed at tick {v.OtherTick} " +
                $"and no later write explains {v.Value} ({reg} has no linearization)";
        }
        return $"{head}, but {reg} held {v.Expected} and nothing wrote {v.Value} ({reg} has no linearization)";
    }

    /// <summary>The operation an agent returned from at a tick, for return-time findings.</summary>
    private static string OpName(Simulator s, int agent, int tick)
    {
        ReadOnlySpan<TraceEvent> all = s.Trace.Events;
        for (int i = all.Length - 1; i >= 0; i--)
        {
            if (all[i].Agent == agent && all[i].Kind == TraceKind.OpEnd && all[i].Tick <= tick && all[i].Op >= 0)
                return $"{s.AgentNames[agent]}'s {s.Ops[all[i].Op]}";
        }
        return s.AgentNames[agent];
    }
}
