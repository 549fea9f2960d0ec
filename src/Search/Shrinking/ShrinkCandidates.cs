using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Search.Shrinking;

/// <summary>
/// Every one-step simplification of a scenario, biggest first: drop an agent, drop an operation,
/// drop runs of schedule actions (halves down to single actions), drop or simplify an initial
/// page, simplify an operation's arguments (a shorter range, an earlier page), drop unused pages.
/// A scenario none of whose candidates still fails is 1-minimal. FsCheck's shrinker is this list.
/// With a kernel, it also offers to drop an operation together with the schedule actions that ran
/// it (so everyone else keeps their interleaving), and to fold a first access into the initial
/// state (a load that mapped the zero page, a store that allocated a page).
/// </summary>
public static class ShrinkCandidates
{
    public static IEnumerable<Scenario> Of(Scenario s, KernelDefinition? kernel = null)
    {
        if (kernel is not null)
        {
            foreach (Scenario c in WithTheirSteps(s, kernel)) yield return c;
        }
        if (s.HasDevice) yield return ScenarioEdits.WithoutDevice(s);
        foreach (AgentKind k in new[] { AgentKind.Ksmd, AgentKind.Kswapd, AgentKind.Kcompactd })
        {
            if (s.ProgramOf(k) is not null) yield return ScenarioEdits.WithoutKthread(s, k);
        }
        for (int cpu = s.Cpus - 1; cpu >= 0 && s.Cpus > 1; cpu--) yield return ScenarioEdits.WithoutCpu(s, cpu);

        for (int p = 0; p < s.Programs.Count; p++)
        {
            for (int i = 0; i < s.Programs[p].Ops.Count; i++) yield return ScenarioEdits.WithOp(s, p, i, null);
        }

        int n = s.Schedule.Count;
        for (int chunk = Math.Max(1, n / 2); ; chunk /= 2)
        {
            for (int start = n - chunk; start >= 0; start -= chunk) yield return ScenarioEdits.WithoutScheduleRange(s, start, chunk);
            if (n % chunk != 0) yield return ScenarioEdits.WithoutScheduleRange(s, 0, n % chunk);
            if (chunk == 1) break;
        }

        for (int i = 0; i < s.InitialPages.Count; i++)
        {
            InitialPage ip = s.InitialPages[i];
            if (ip.Kind == InitialPageKind.SharedWith && s.InitialPages.Any(o => o.Kind == InitialPageKind.SharedWith && o.SharedMm == ip.Mm && o.SharedVa == ip.Va))
                continue;
            if (!s.InitialPages.Any(o => o.Kind == InitialPageKind.SharedWith && o.SharedMm == ip.Mm && o.SharedVa == ip.Va))
                yield return ScenarioEdits.WithInitialPage(s, i, null);
            if (ip.Kind == InitialPageKind.Value && !ip.Writable) yield return ScenarioEdits.WithInitialPage(s, i, ip with { Writable = true });
            if (ip.Old) yield return ScenarioEdits.WithInitialPage(s, i, ip with { Old = false });
            if (ip.Kind == InitialPageKind.Swapped) yield return ScenarioEdits.WithInitialPage(s, i, ip with { Kind = InitialPageKind.Value, Writable = true });
            if (ip.Kind == InitialPageKind.Value && ip.Mm == 0 && !s.InitialPages.Any(o => o.Kind == InitialPageKind.SharedWith && o.SharedVa == ip.Va))
                yield return ScenarioEdits.WithInitialPage(s, i, ip with { Kind = InitialPageKind.Zero, Value = 0, Writable = false });
            // A page another mm shares copy-on-write is, to a store, a page that must be copied,
            // as the zero page is: one step to the simpler form (both edits alone lose the copy).
            if (ip.Kind == InitialPageKind.Value && ip.Mm == 0 && s.InitialPages.Any(o => o.Kind == InitialPageKind.SharedWith && o.SharedMm == 0 && o.SharedVa == ip.Va))
                yield return ScenarioEdits.ZeroPageUnshared(s, i);
        }

        for (int p = 0; p < s.Programs.Count; p++)
        {
            IReadOnlyList<Operation> ops = s.Programs[p].Ops;
            for (int i = 0; i < ops.Count; i++)
            {
                Operation op = ops[i];
                if (!OpKinds.HasAddress(op.Kind)) continue;
                if (op.Kind == OpKind.OdirectRead) yield return ScenarioEdits.WithOp(s, p, i, Operation.Store(op.Va, op.Value));
                if (op.VaLast > op.Va)
                {
                    yield return ScenarioEdits.WithOp(s, p, i, op with { VaLast = op.Va });
                    yield return ScenarioEdits.WithOp(s, p, i, op with { Va = op.VaLast });
                }
                else
                {
                    for (int va = 0; va < op.Va; va++) yield return ScenarioEdits.WithOp(s, p, i, op with { Va = va, VaLast = va });
                }
            }
        }

        Scenario compact = ScenarioEdits.CompactPages(s);
        if (compact.Pages < s.Pages) yield return compact;
        // One PTE page (one page-table lock) for every page is simpler than two.
        if (s.SecondPmd is not null) yield return s with { SecondPmd = null };
    }

    /// <summary>
    /// Simpler programs, schedules aside: one operation dropped or folded into the initial state, an
    /// argument or an initial page simplified. The shrinker searches a new schedule for each.
    /// </summary>
    public static IEnumerable<Scenario> Programs(Scenario s, KernelDefinition kernel)
    {
        foreach (Scenario c in WithTheirSteps(s, kernel))
        {
            if (c.OperationCount < s.OperationCount) yield return c with { Schedule = [] };
        }
        foreach (Scenario c in Of(s))
        {
            if (c.OperationCount == s.OperationCount && c.Cpus == s.Cpus && c.HasDevice == s.HasDevice
                && ScenarioWriter.Write(c with { Schedule = [] }) != ScenarioWriter.Write(s with { Schedule = [] }))
                yield return c with { Schedule = [] };
        }
    }

    /// <summary>Drop each operation with exactly its own schedule actions; fold first accesses into the initial state.</summary>
    private static IEnumerable<Scenario> WithTheirSteps(Scenario s, KernelDefinition kernel)
    {
        int[] owner;
        try
        {
            owner = ScheduleAttribution.Of(s, kernel);
        }
        catch (Model.Simulation.ModelLimitException)
        {
            yield break;
        }
        (int Program, int Op)[] flat = ScheduleAttribution.FlatOps(s);
        for (int f = 0; f < flat.Length; f++)
        {
            var (p, i) = flat[f];
            Operation op = s.Programs[p].Ops[i];
            Scenario without = ScenarioEdits.WithOp(s, p, i, null);
            without = without with { Schedule = s.Schedule.Where((_, k) => owner[k] != f).ToArray() };
            yield return without;
            if (!OpKinds.IsUserAccess(op.Kind)) continue;
            int mm = s.Programs[p].Kind == AgentKind.Device ? s.DeviceMm ?? 0 : s.Programs[p].Mm;
            // Fold the access into the initial state: a read of an unmapped page starts on the zero
            // page; a store into an unmapped or zero page starts with its value.
            int initial = -1;
            for (int k = 0; k < s.InitialPages.Count; k++)
            {
                if (s.InitialPages[k].Mm == mm && s.InitialPages[k].Va == op.Va) initial = k;
            }
            bool forkChild = mm == 1 && s.Programs.Any(q => q.Ops.Any(o => o.Kind == OpKind.Fork));
            bool ownPage = initial < 0 || s.InitialPages[initial].Kind != InitialPageKind.SharedWith;
            bool sharedByOthers = s.InitialPages.Any(o => o.Kind == InitialPageKind.SharedWith && o.SharedMm == mm && o.SharedVa == op.Va);
            InitialPage? folded = forkChild || !ownPage || sharedByOthers ? null : op.Kind switch
            {
                OpKind.Load or OpKind.DmaRead when initial < 0 => new InitialPage(mm, op.Va, InitialPageKind.Zero, Writable: false),
                OpKind.Store or OpKind.DmaWrite or OpKind.OdirectRead => new InitialPage(mm, op.Va, InitialPageKind.Value, op.Value),
                _ => null,
            };
            InitialPage[] FoldedPages(InitialPage fp)
            {
                var pages = s.InitialPages.ToList();
                if (initial >= 0) pages.RemoveAt(initial);
                pages.Add(fp);
                return pages.ToArray();
            }
            if (folded is { } ip) yield return without with { InitialPages = FoldedPages(ip) };
            // An access whose lasting effect was the translation it cached: a hardware fill at its
            // last step instead (and, if the page was unmapped, its effect folded into the start).
            int last = Array.LastIndexOf(owner, f);
            if (last < 0) continue;
            int agent = s.Layout.IndexOf(s.Programs[p]);
            var schedule = new List<SchedAction>();
            for (int k = 0; k < s.Schedule.Count; k++)
            {
                if (k == last) schedule.Add(SchedAction.Fill(agent, op.Va));
                else if (owner[k] != f) schedule.Add(s.Schedule[k]);
            }
            Scenario filled = ScenarioEdits.WithOp(s, p, i, null) with { Schedule = schedule };
            yield return filled;
            if (folded is { } fp) yield return filled with { InitialPages = FoldedPages(fp) };
        }
        // Pairs: two operations that only make sense together (one undoes what the other did).
        for (int f = 0; f < flat.Length; f++)
        {
            for (int g = f + 1; g < flat.Length; g++)
            {
                var (pf, iF) = flat[f];
                var (pg, iG) = flat[g];
                Scenario without = pf == pg
                    ? ScenarioEdits.WithOp(ScenarioEdits.WithOp(s, pg, iG, null), pf, iF, null)
                    : ScenarioEdits.WithOp(ScenarioEdits.WithOp(s, pf, iF, null), pg, iG, null);
                yield return without with { Schedule = s.Schedule.Where((_, k) => owner[k] != f && owner[k] != g).ToArray() };
            }
        }
    }
}
