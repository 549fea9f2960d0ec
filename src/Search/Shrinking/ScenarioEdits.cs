using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Search.Shrinking;

/// <summary>
/// Structural edits of a scenario that keep it well-formed: drop an agent (renumbering the others
/// and the schedule), drop or change one operation, drop schedule actions, drop or simplify an
/// initial page, drop unused pages.
/// </summary>
public static class ScenarioEdits
{
    /// <summary>Remove CPU <paramref name="cpu"/>: its program and its schedule actions; higher agents move down.</summary>
    public static Scenario WithoutCpu(Scenario s, int cpu)
    {
        var programs = new List<AgentProgram>();
        foreach (AgentProgram p in s.Programs)
        {
            if (p.Kind == AgentKind.Cpu && p.Index == cpu) continue;
            programs.Add(p.Kind == AgentKind.Cpu && p.Index > cpu ? p with { Index = p.Index - 1 } : p);
        }
        var schedule = new List<SchedAction>();
        foreach (SchedAction a in s.Schedule)
        {
            if (a.Agent == cpu) continue;
            schedule.Add(a.Agent > cpu ? a with { Agent = (byte)(a.Agent - 1) } : a);
        }
        return s with { Cpus = s.Cpus - 1, Programs = programs, Schedule = schedule };
    }

    /// <summary>Remove the device: its program, its binding, its and its PRI worker's schedule actions.</summary>
    public static Scenario WithoutDevice(Scenario s) =>
        Relayout(s, s with { DeviceMm = null, Programs = s.Programs.Where(p => p.Kind != AgentKind.Device).ToArray() });

    /// <summary>Remove a kernel thread: its program and its schedule actions; later agents move down.</summary>
    public static Scenario WithoutKthread(Scenario s, AgentKind kind) =>
        s.Layout.IndexOf(kind) < 0 ? s : Relayout(s, s with { Programs = s.Programs.Where(p => p.Kind != kind).ToArray() });

    /// <summary>
    /// <paramref name="edited"/> with <paramref name="s"/>'s schedule renumbered to its agents by
    /// name: the actions of agents it no longer has (a removed kernel thread, the device and its
    /// worker, the swap device once nothing can swap) are dropped, later agents move down.
    /// </summary>
    private static Scenario Relayout(Scenario s, Scenario edited)
    {
        AgentLayout from = s.Layout, to = edited.Layout;
        var schedule = new List<SchedAction>(s.Schedule.Count);
        foreach (SchedAction a in s.Schedule)
        {
            if (!to.TryIndex(from.Name(a.Agent), out int agent)) continue;
            schedule.Add(a with { Agent = (byte)agent });
        }
        return edited with { Schedule = schedule };
    }

    /// <summary>Replace (or with null remove) operation <paramref name="index"/> of program <paramref name="program"/>.</summary>
    public static Scenario WithOp(Scenario s, int program, int index, Operation? replacement)
    {
        var programs = s.Programs.ToArray();
        var ops = programs[program].Ops.ToList();
        if (replacement is { } r) ops[index] = r;
        else ops.RemoveAt(index);
        programs[program] = programs[program] with { Ops = ops };
        return s with { Programs = programs };
    }

    public static Scenario WithoutScheduleRange(Scenario s, int start, int count)
    {
        var schedule = s.Schedule.ToList();
        schedule.RemoveRange(start, count);
        return s with { Schedule = schedule };
    }

    public static Scenario WithInitialPage(Scenario s, int index, InitialPage? replacement)
    {
        var pages = s.InitialPages.ToList();
        if (replacement is { } r) pages[index] = r;
        else pages.RemoveAt(index);
        // Without its last swapped page (and no kswapd) the scenario loses the swap device.
        return Relayout(s, s with { InitialPages = pages });
    }

    /// <summary>Initial page <paramref name="index"/> (of mm0) becomes the zero page, and the pages that shared it go.</summary>
    public static Scenario ZeroPageUnshared(Scenario s, int index)
    {
        InitialPage ip = s.InitialPages[index];
        var pages = new List<InitialPage>();
        for (int i = 0; i < s.InitialPages.Count; i++)
        {
            InitialPage p = s.InitialPages[i];
            if (i == index) pages.Add(ip with { Kind = InitialPageKind.Zero, Value = 0, Writable = false, Old = false });
            else if (p.Kind != InitialPageKind.SharedWith || p.SharedMm != ip.Mm || p.SharedVa != ip.Va) pages.Add(p);
        }
        return Relayout(s, s with { InitialPages = pages });
    }

    /// <summary>Pages referenced anywhere: operations, initial pages, hardware actions.</summary>
    public static bool[] UsedPages(Scenario s)
    {
        var used = new bool[s.Pages];
        foreach (AgentProgram p in s.Programs)
        {
            foreach (Operation op in p.Ops)
            {
                if (!OpKinds.HasAddress(op.Kind)) continue;
                for (int va = op.Va; va <= op.VaLast; va++) used[va] = true;
                if (op.Kind == OpKind.KsmMerge) used[op.Va2] = true;
            }
        }
        foreach (InitialPage ip in s.InitialPages)
        {
            used[ip.Va] = true;
            if (ip.Kind == InitialPageKind.SharedWith) used[ip.SharedVa] = true;
        }
        foreach (SchedAction a in s.Schedule)
        {
            if (a.HasPage) used[a.Va] = true;
        }
        return used;
    }

    /// <summary>Drop unused pages, renaming the rest in order (A, B, ... from 0; ranges stay ordered).</summary>
    public static Scenario CompactPages(Scenario s)
    {
        bool[] used = UsedPages(s);
        int[] map = new int[s.Pages];
        int n = 0;
        for (int va = 0; va < s.Pages; va++) map[va] = used[va] ? n++ : -1;
        if (n == s.Pages) return s;
        if (n == 0) n = 1;
        // The second PTE page starts at the first page kept from it; if either PTE page keeps no
        // page, one is left.
        int? pmd = null;
        if (s.SecondPmd is { } second)
        {
            int first = Enumerable.Range(second, s.Pages - second).Where(va => used[va]).Select(va => map[va]).DefaultIfEmpty(-1).First();
            if (first > 0) pmd = first;
        }
        return s with
        {
            Pages = n,
            SecondPmd = pmd,
            InitialPages = s.InitialPages.Select(p => p with { Va = map[p.Va], SharedVa = p.Kind == InitialPageKind.SharedWith ? map[p.SharedVa] : 0 }).ToArray(),
            Programs = s.Programs.Select(p => p with
            {
                Ops = p.Ops.Select(o => !OpKinds.HasAddress(o.Kind) ? o
                    : o.Kind == OpKind.KsmMerge ? o with { Va = map[o.Va], VaLast = map[o.VaLast], Va2 = map[o.Va2] }
                    : o with { Va = map[o.Va], VaLast = map[o.VaLast] }).ToArray(),
            }).ToArray(),
            Schedule = s.Schedule.Select(a => a.HasPage ? a with { Va = (byte)map[a.Va] } : a).ToArray(),
        };
    }
}
