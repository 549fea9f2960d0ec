using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Reporting.Text;

/// <summary>
/// Critical orderings in words, as a kernel engineer would write them under a CPU | IOMMU table:
/// "DEV ats_translate A before CPU0 ptep_get_and_clear A". Each side is the agent and what it did
/// at that tick: the step's kernel name and page, the operation for an access ("CPU1 store A"),
/// the hardware action for a fill or eviction. The agent that took most steps (the recipe being
/// raced against) is named last, so every line reads as "what the others must do around it".
/// </summary>
public static class OrderingText
{
    public const string Heading = "needs (swap any one of these orders and the violation vanishes):";

    /// <summary>The orderings under the table, numbered as the table marks them ({1}, {2}, ...).</summary>
    public static IEnumerable<string> Lines(Simulator s, IReadOnlyList<CriticalOrdering> orderings)
    {
        if (orderings.Count == 0)
        {
            yield return "needs: no order between agents (no single reordering of the schedule loses the violation)";
            yield break;
        }
        yield return Heading;
        for (int i = 0; i < orderings.Count; i++)
        {
            var (subject, anchor) = Sides(s, orderings[i]);
            yield return $"  {Mark(i)} {Describe(s, orderings[i])} (ticks {subject}, {anchor})";
        }
    }

    /// <summary>One ordering in words.</summary>
    public static string Describe(Simulator s, CriticalOrdering o)
    {
        var (subject, anchor) = Sides(s, o);
        string relation = subject == o.Before ? "before" : "after";
        return $"{Label(s, subject)} {relation} {Label(s, anchor)}";
    }

    /// <summary>All orderings on one line: "needs: X; Y; Z".</summary>
    public static string OneLine(Simulator s, IReadOnlyList<CriticalOrdering> orderings) =>
        orderings.Count == 0 ? "needs: no order between agents" : "needs: " + string.Join("; ", orderings.Select(o => Describe(s, o)));

    public static string Mark(int index) => $"{{{index + 1}}}";

    /// <summary>The marks of each tick an ordering names: "{1}", "{2,3}".</summary>
    public static Dictionary<int, string> Marks(IReadOnlyList<CriticalOrdering> orderings)
    {
        var byTick = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < orderings.Count; i++)
        {
            foreach (int t in new[] { orderings[i].Before, orderings[i].After })
            {
                if (!byTick.TryGetValue(t, out var list)) byTick[t] = list = new List<int>();
                if (!list.Contains(i + 1)) list.Add(i + 1);
            }
        }
        return byTick.ToDictionary(p => p.Key, p => "{" + string.Join(",", p.Value) + "}");
    }

    /// <summary>
    /// The table marks for the orderings; with <paramref name="brief"/>, the ticks worth a row:
    /// those the orderings name, those where an oracle fired or that its message cites, and those
    /// where an operation was called or returned. Every other step is one no ordering depends on.
    /// </summary>
    public static TableMarks TableMarks(Simulator s, IReadOnlyList<CriticalOrdering> orderings, bool brief)
    {
        Dictionary<int, string> notes = Marks(orderings);
        if (!brief) return new TableMarks(notes);
        var keep = new HashSet<int>(notes.Keys);
        foreach (ref readonly Fuzz.Model.Oracles.Violation v in s.Violations.Items)
        {
            keep.Add(v.Tick);
            if (v.OtherTick >= 0) keep.Add(v.OtherTick);
        }
        foreach (ref readonly TraceEvent e in s.Trace.Events)
        {
            if (e.Kind is TraceKind.OpBegin or TraceKind.OpEnd && e.Op >= 0) keep.Add(e.Tick);
        }
        return new TableMarks(notes, keep);
    }

    /// <summary>(subject tick, anchor tick): the anchor is the side whose agent took more ticks.</summary>
    private static (int Subject, int Anchor) Sides(Simulator s, CriticalOrdering o)
    {
        int a = AgentAt(s, o.Before), b = AgentAt(s, o.After);
        int ta = TicksOf(s, a), tb = TicksOf(s, b);
        bool beforeIsAnchor = ta > tb || (ta == tb && a < b);
        return beforeIsAnchor ? (o.After, o.Before) : (o.Before, o.After);
    }

    private static int TicksOf(Simulator s, int agent)
    {
        int n = 0, last = -1;
        foreach (ref readonly TraceEvent e in s.Trace.Events)
        {
            if (e.Agent != agent || e.Tick == last) continue;
            last = e.Tick;
            n++;
        }
        return n;
    }

    /// <summary>The agent that acted at a tick (-1 if the trace has nothing there).</summary>
    public static int AgentAt(Simulator s, int tick)
    {
        foreach (ref readonly TraceEvent e in s.Trace.Events)
        {
            if (e.Tick == tick) return e.Agent;
        }
        return -1;
    }

    /// <summary>"CPU0 ptep_get_and_clear A", "CPU1 store A", "DEV ats_translate A".</summary>
    public static string Label(Simulator s, int tick)
    {
        int agent = AgentAt(s, tick);
        string who = agent >= 0 ? s.AgentNames[agent] : "?";
        return $"{who} {What(s, tick)}";
    }

    /// <summary>What the acting agent did at a tick, in a few words.</summary>
    public static string What(Simulator s, int tick)
    {
        ReadOnlySpan<TraceEvent> all = s.Trace.Events;
        int op = -1;
        for (int i = 0; i < all.Length; i++)
        {
            ref readonly TraceEvent e = ref all[i];
            if (e.Tick < tick)
            {
                continue;
            }
            if (e.Tick > tick) break;
            if (e.Kind == TraceKind.OpBegin)
            {
                op = e.Op;
                continue;
            }
            string page = e.Va >= 0 ? Names.Page(e.Va) : "";
            switch (e.Kind)
            {
                case TraceKind.Fill:
                    return (e.Agent == s.DeviceAgent ? "ats_translate " : "tlb fill ") + page;
                case TraceKind.Evict:
                    return (e.Agent == s.DeviceAgent ? "atc evict " : "tlb evict ") + page;
                case TraceKind.AtsRequest:
                    return "ats translation request " + page + " (speculative)";
                case TraceKind.AtsCompletion:
                    return "translation completion " + page;
                case TraceKind.IommuWalk:
                    return "ats walk " + page;
                case TraceKind.IommuCommand:
                    return CellText.CommandName(e.Step) + " " + page;
                case TraceKind.IotlbEvict:
                    return "iotlb evict " + page;
                case TraceKind.Step when !e.Local:
                    if (e.Step is StepId.mmu_access or StepId.dma_access)
                    {
                        int current = op >= 0 ? op : CurrentOp(s, e.Agent, tick);
                        if (current >= 0) return $"{OpKinds.Name(s.Ops[current].Kind)} {page}".TrimEnd();
                    }
                    string name = StepCatalog.Name(e.Step) + (e.Operand == Operand.None ? "" : $"({OperandNames.Of(e.Operand)})");
                    string what;
                    if (StepCatalog.Info(e.Step).Category is StepCategory.Lock or StepCategory.Unlock or StepCategory.Wait)
                    {
                        // A lock is the mm's (mmap_sem, the PTL), not the page's.
                        what = e.Mm >= 0 ? $"{name} {Names.Mm(e.Mm)}" : name;
                    }
                    else
                    {
                        string range = e.Va >= 0 && e.Detail > e.Va && IsRange(e.Step) ? $"{page}-{Names.Page(e.Detail)}" : page;
                        // With two address spaces the page alone is ambiguous.
                        string mm = s.Scenario.Mms > 1 && e.Mm >= 0 && e.Va >= 0 ? Names.Mm(e.Mm) + " " : "";
                        what = $"{name} {mm}{range}".TrimEnd();
                    }
                    // The step an operation returns with: say so, the return is what orders it.
                    int returning = Returning(s, e.Agent, tick);
                    return returning >= 0 ? $"returns from {s.Ops[returning]} ({what})" : what;
            }
        }
        return op >= 0 ? s.Ops[op].ToString() : "(no step)";
    }

    /// <summary>
    /// An ordering as a root cause names it, without the numbers the normaliser may rename (which
    /// CPU, which page, which tick): each side's agent kind and what it did, its recipe and step
    /// ("CPU wp_page_copy:ptep_get_and_clear"), the operation for an access ("CPU store"), the
    /// hardware action for a fill or eviction ("DEV fill").
    /// </summary>
    public static string Signature(Simulator s, CriticalOrdering o) => $"{Endpoint(s, o.Before)} < {Endpoint(s, o.After)}";

    private static string Endpoint(Simulator s, int tick)
    {
        int agent = AgentAt(s, tick);
        string kind = agent < 0 ? "?" : s.Layout.Kind(agent) == AgentKind.Cpu ? "CPU" : s.AgentNames[agent];
        ReadOnlySpan<TraceEvent> all = s.Trace.Events;
        for (int i = 0; i < all.Length; i++)
        {
            ref readonly TraceEvent e = ref all[i];
            if (e.Tick != tick || e.Agent != agent) continue;
            switch (e.Kind)
            {
                case TraceKind.Fill:
                    return kind + " fill";
                case TraceKind.Evict:
                    return kind + " evict";
                case TraceKind.AtsRequest:
                    return kind + " ats-request";
                case TraceKind.AtsCompletion:
                    return kind + " ats-completion";
                case TraceKind.IommuWalk:
                    return kind + " walk";
                case TraceKind.IommuCommand:
                    return kind + " " + CellText.CommandName(e.Step);
                case TraceKind.IotlbEvict:
                    return kind + " iotlb-evict";
                case TraceKind.Step when !e.Local:
                    string step = StepCatalog.Name(e.Step) + (e.Operand == Operand.None ? "" : $"({OperandNames.Of(e.Operand)})");
                    if (e.Step is StepId.mmu_access or StepId.dma_access && CurrentOp(s, agent, tick) is >= 0 and int op)
                        return $"{kind} {OpKinds.Name(s.Ops[op].Kind)}:{step}";
                    return $"{kind} {e.Recipe}:{step}";
            }
        }
        return kind + " " + What(s, tick);
    }

    /// <summary>The operation the agent returns from at the tick, or -1.</summary>
    private static int Returning(Simulator s, int agent, int tick)
    {
        foreach (ref readonly TraceEvent e in s.Trace.Events)
        {
            if (e.Tick > tick) break;
            if (e.Tick == tick && e.Agent == agent && e.Kind == TraceKind.OpEnd) return e.Op;
        }
        return -1;
    }

    private static bool IsRange(StepId step) => step is StepId.flush_tlb_range or StepId.tlb_flush
        or StepId.mmu_notifier_invalidate_range_start or StepId.mmu_notifier_invalidate_range or StepId.mmu_notifier_invalidate_range_end;

    private static int CurrentOp(Simulator s, int agent, int tick)
    {
        int op = -1;
        foreach (ref readonly TraceEvent e in s.Trace.Events)
        {
            if (e.Tick > tick) break;
            if (e.Agent == agent && e.Kind == TraceKind.OpBegin) op = e.Op;
        }
        return op;
    }
}
