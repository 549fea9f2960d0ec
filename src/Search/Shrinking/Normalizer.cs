using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Shrinking;

/// <summary>
/// Canonical form of a failing scenario, so that the same bug gives the same file: CPUs numbered
/// in the order they first act, unused pages dropped (the rest keep their order, so ranges stay
/// ranges), nonzero values renumbered 1, 2, ... in order of first appearance (only equality and
/// zero matter to the model), operations and schedule renamed to match.
/// </summary>
public static class Normalizer
{
    public static Scenario Canonicalize(Scenario s, KernelDefinition kernel, OracleId oracle, SimOptions? options = null)
    {
        foreach (AgentKind k in new[] { AgentKind.Ksmd, AgentKind.Kswapd, AgentKind.Kcompactd })
        {
            if (s.ProgramOf(k) is { Ops.Count: 0 }) s = ScenarioEdits.WithoutKthread(s, k);
        }
        Scenario full = WithFullSchedule(s, kernel, options, out Simulator run);
        Scenario renamed = RenumberValues(RenumberCpus(full, run), run, distinct: false);
        // Equal values only where the failure needs them (a KSM merge of identical pages): the same
        // race with two stores of 1 or of 1 and 2 is one bug and should give one file.
        Scenario distinct = RenumberValues(renamed, run, distinct: true);
        if (ScenarioWriter.Write(distinct) != ScenarioWriter.Write(renamed) && Violates(distinct, kernel, oracle, options)) renamed = distinct;
        renamed = ScenarioEdits.CompactPages(renamed);
        // Sort only the explicit choices (the trimmed schedule): sorting the default tail in would
        // pull its actions forward and lengthen the schedule.
        renamed = ScheduleNormalizer.Normalize(renamed, kernel, options);
        renamed = SortSchedule(renamed, kernel, oracle, options);
        renamed = ScheduleNormalizer.Normalize(renamed, kernel, options);
        return Violates(renamed, kernel, oracle, options) ? renamed : ScheduleNormalizer.Normalize(s, kernel, options);
    }

    /// <summary>
    /// Whether a candidate still fails with the oracle. A candidate that runs into a bound of the
    /// model (a mutant whose fault retries allocate until no frame is left) is not a smaller form
    /// of the failure, only a different run: it is refused, as the shrinker refuses it.
    /// </summary>
    private static bool Violates(Scenario s, KernelDefinition kernel, OracleId oracle, SimOptions? options)
    {
        try
        {
            return Replayer.Run(s, kernel, options).Violates(oracle);
        }
        catch (ModelLimitException)
        {
            return false;
        }
    }

    private static Scenario WithFullSchedule(Scenario s, KernelDefinition kernel, SimOptions? options, out Simulator sim)
    {
        sim = new Simulator(kernel, s, options);
        var rec = new RecordingStrategy(new ScriptStrategy(s.Schedule));
        sim.Run(rec);
        return s with { Schedule = rec.Taken.ToArray() };
    }

    /// <summary>
    /// Equivalent interleavings to one: swap neighbouring actions into a fixed order (hardware fills,
    /// then evictions, then progress by agent number) wherever the failure survives the swap.
    /// </summary>
    private static Scenario SortSchedule(Scenario s, KernelDefinition kernel, OracleId oracle, SimOptions? options)
    {
        var schedule = s.Schedule.ToList();
        bool swapped = true;
        for (int pass = 0; swapped && pass < 4 * schedule.Count; pass++)
        {
            swapped = false;
            for (int i = 0; i + 1 < schedule.Count; i++)
            {
                if (Key(schedule[i + 1]) >= Key(schedule[i])) continue;
                (schedule[i], schedule[i + 1]) = (schedule[i + 1], schedule[i]);
                Scenario trial = s with { Schedule = schedule.ToArray() };
                if (Violates(trial, kernel, oracle, options))
                {
                    swapped = true;
                    continue;
                }
                (schedule[i], schedule[i + 1]) = (schedule[i + 1], schedule[i]);
            }
        }
        return s with { Schedule = schedule.ToArray() };
    }

    /// <summary>
    /// Translations first (TLB fills; the device's speculative request, the IOMMU's walk of it and
    /// the completion, so a cached translation reads as in the thread's table: "IOMMU walks, populates
    /// its TLB"), then evictions, then everything else by agent.
    /// </summary>
    private static int Key(SchedAction a) =>
        (a.Kind switch
        {
            ActionKind.Fill or ActionKind.AtsRequest or ActionKind.Walk or ActionKind.Complete => 0,
            ActionKind.Evict or ActionKind.IotlbEvict => 1,
            _ => 2,
        }) * 65536
        // A translation's request, walk and completion in that order, whoever takes each.
        + (a.Kind switch { ActionKind.Walk => 1, ActionKind.Complete => 2, _ => 0 }) * 4096
        + a.Agent * 256 + (int)a.Kind * 16 + a.Va;

    /// <summary>CPUs in the order of their first action in the (full, explicit) schedule.</summary>
    private static Scenario RenumberCpus(Scenario s, Simulator run)
    {
        var order = new List<int>();
        foreach (SchedAction a in s.Schedule)
        {
            if (a.Agent < s.Cpus && !order.Contains(a.Agent)) order.Add(a.Agent);
        }
        for (int cpu = 0; cpu < s.Cpus; cpu++)
        {
            if (!order.Contains(cpu)) order.Add(cpu);
        }
        int[] map = new int[s.Cpus];
        for (int i = 0; i < order.Count; i++) map[order[i]] = i;
        return s with
        {
            Programs = s.Programs.Select(p => p.Kind == AgentKind.Cpu ? p with { Index = map[p.Index] } : p)
                .OrderBy(p => p.Kind).ThenBy(p => p.Index).ToArray(),
            Schedule = s.Schedule.Select(a => a.Agent < s.Cpus ? a with { Agent = (byte)map[a.Agent] } : a).ToArray(),
        };
    }

    /// <summary>
    /// Nonzero values 1, 2, ...: initial pages first (in order), then writes in the order they were
    /// called; equal values stay equal, or with <paramref name="distinct"/> every one gets its own.
    /// </summary>
    private static Scenario RenumberValues(Scenario s, Simulator run, bool distinct)
    {
        // Every value occurrence: an initial page (by index) or a write (program, operation).
        var order = new List<(long Order, int Page, int Program, int Op, int Value)>();
        for (int k = 0; k < s.InitialPages.Count; k++)
        {
            InitialPage ip = s.InitialPages[k];
            if (ip.Kind == InitialPageKind.Value) order.Add((-1_000_000 + ip.Mm * 1000 + ip.Va, k, -1, -1, ip.Value));
        }
        // Writes by call order in the run; operations that never started come last, in program order.
        AgentProgram[] programs = OrderedAsSimulator(s).ToArray();
        int flat = 0;
        foreach (AgentProgram p in programs)
        {
            int pi = IndexOf(s.Programs, p);
            for (int i = 0; i < p.Ops.Count; i++)
            {
                if (OpKinds.HasValue(p.Ops[i].Kind))
                {
                    int call = flat < run.OpCall.Length ? run.OpCall[flat] : -1;
                    order.Add((call >= 0 ? call : int.MaxValue + (long)flat, -1, pi, i, p.Ops[i].Value));
                }
                flat++;
            }
        }
        var byValue = new Dictionary<int, int>();
        var pageValue = new Dictionary<int, int>();
        var opValue = new Dictionary<(int, int), int>();
        int next = 0;
        foreach (var o in order.OrderBy(o => o.Order))
        {
            int v = o.Value == 0 ? 0 : distinct ? ++next : byValue.TryGetValue(o.Value, out int m) ? m : byValue[o.Value] = ++next;
            if (o.Page >= 0) pageValue[o.Page] = v;
            else opValue[(o.Program, o.Op)] = v;
        }
        return s with
        {
            InitialPages = s.InitialPages.Select((p, k) => pageValue.TryGetValue(k, out int v) ? p with { Value = v } : p).ToArray(),
            Programs = s.Programs.Select((p, pi) => p with
            {
                Ops = p.Ops.Select((o, i) => opValue.TryGetValue((pi, i), out int v) ? o with { Value = v } : o).ToArray(),
            }).ToArray(),
        };
    }

    private static int IndexOf(IReadOnlyList<AgentProgram> programs, AgentProgram p)
    {
        for (int i = 0; i < programs.Count; i++)
        {
            if (ReferenceEquals(programs[i], p)) return i;
        }
        return -1;
    }

    /// <summary>Programs in the simulator's flat operation order (CPU0.., the device, the kernel threads).</summary>
    private static IEnumerable<AgentProgram> OrderedAsSimulator(Scenario s)
    {
        AgentLayout layout = s.Layout;
        return s.Programs.OrderBy(layout.IndexOf);
    }
}
