using Fuzz.Formats.Kernels;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Search.Verification;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Verification;

/// <summary>
/// The reductions against the plain search on a corpus of small scenarios (a scope's smallest,
/// under the fixed kernel and buggy variants): the same verdict and the same violations by oracle
/// and code, each at the same least depth; every state the reduced search visits is one the plain
/// search visits, no deeper. And the independence the sleep sets rely on, checked by
/// executing both orders.
/// </summary>
public class ReductionTests
{
    private static string Root => KernelLoader.RepoRoot(AppContext.BaseDirectory)!;

    /// <summary>One- and two-operation scenarios with every kind of operation and agent.</summary>
    private const string Wide = """
        scope 1
        name wide
        ops 1-2
        ops-per-agent 2
        cpus 2
        pages 1
        mms 2
        agents cpu device kswapd kcompactd
        kinds load store madvise_dontneed fork dma_read dma_write odirect_read swap_out migrate
        initial none zero value value-ro swapped shared
        """;

    /// <summary>Up to three accesses and zaps on two CPUs and the device: where the thread's races live.</summary>
    internal const string Thread = """
        scope 1
        name thread
        ops 2-3
        ops-per-agent 2
        cpus 2
        pages 1
        agents cpu device
        kinds load store madvise_dontneed dma_read
        initial zero value
        """;

    /// <summary>
    /// Each kernel's own counterexample, as a scenario to search whole: the scenarios of the files in
    /// tests/Regressions without their schedules (those files are re-derived for the IOMMU model
    /// separately; the search finds its own schedule). v4.14 as released reuses a page by its
    /// mapcount in do_wp_page (09854ba94c6a is not in it).
    /// </summary>
    private static readonly Dictionary<string, string> Regression = new()
    {
        ["seed-a"] = """
            cpus 2
            pages 1
            page mm0 A 5 rw
            cpu 0 mm0: madvise_dontneed A
            cpu 1 mm0: load A; madvise_dontneed A; load A
            """,
        ["seed-b"] = ThreadScenarios.SeedB,
        ["v4.14"] = ThreadScenarios.MapcountReuse,
        ["zap-no-secondary-invalidation"] = """
            cpus 1
            pages 1
            device mm0
            page mm0 A zero
            cpu 0 mm0: madvise_dontneed A
            """,
    };

    public static IEnumerable<object[]> Kernels => new[] { "v4.14-fixed", "v4.14", "seed-a", "seed-b", "zap-no-secondary-invalidation" }.Select(k => new object[] { k });

    private static IEnumerable<Scenario> Scenarios(string kernel, int every) =>
        ScopeEnumerator.Enumerate(ScopeFile.Parse(Wide, "wide.scope"), kernel).Where((_, i) => i % every == 0)
            .Concat(ScopeEnumerator.Enumerate(ScopeFile.Parse(Thread, "thread.scope"), kernel).Where((_, i) => i % (every * 2) == 1));

    [Theory]
    [InlineData("seed-a")]
    [InlineData("seed-b")]
    [InlineData("v4.14")]
    [InlineData("zap-no-secondary-invalidation")]
    public void Reduced_and_plain_search_find_the_same_shortest_counterexample(string kernelName)
    {
        KernelDefinition kernel = KernelLoader.Load(kernelName, Path.Combine(Root, "kernels"));
        Scenario sc = Fuzz.Tests.Shared.TestKit.Scenario(Regression[kernelName]) with { Schedule = [] };
        ExploreResult plain = new Explorer(kernel, sc, new ExploreOptions { Reduce = false, RenameFrames = false }).Run();
        ExploreResult reduced = new Explorer(kernel, sc).Run();
        Assert.Equal(ExploreVerdict.Violation, plain.Verdict);
        Assert.Equal((plain.Verdict, plain.Oracle, plain.Code, plain.Path.Count), (reduced.Verdict, reduced.Oracle, reduced.Code, reduced.Path.Count));
        Assert.True(reduced.Transitions <= plain.Transitions && reduced.States <= plain.States);
    }

    [Theory]
    [InlineData("v4.14-fixed")]
    [InlineData("seed-a")]
    [InlineData("zap-no-secondary-invalidation")]
    public void Reduced_and_plain_search_reach_the_same_violations(string kernelName)
    {
        KernelDefinition kernel = KernelLoader.Load(kernelName, Path.Combine(Root, "kernels"));
        int scenarios = 0, violating = 0;
        long plainStates = 0, reducedStates = 0;
        foreach (Scenario sc in Scenarios(kernelName, 150))
        {
            ExploreResult plain = new Explorer(kernel, sc, new ExploreOptions { Reduce = false, RenameFrames = false, AllViolations = true, RecordStates = true, MaxStates = 20_000 }).Run();
            ExploreResult reduced = new Explorer(kernel, sc, new ExploreOptions { AllViolations = true, RecordStates = true, RenameFrames = false }).Run();
            ExploreResult canonical = new Explorer(kernel, sc, new ExploreOptions { AllViolations = true }).Run();
            if (plain.Verdict == ExploreVerdict.Limit) continue;
            scenarios++;
            string what = Fuzz.Formats.Scenarios.ScenarioWriter.Write(sc);
            Assert.Equal(plain.Verdict, reduced.Verdict);
            Assert.Equal(plain.Reached, reduced.Reached);
            Assert.Equal(plain.Reached, canonical.Reached);
            foreach (var (fp, depth) in reduced.StateDepths!)
            {
                // Shortest paths in the reduced graph are no shorter than in the whole one; violations (above) are reached at the same least depth.
                Assert.True(plain.StateDepths!.TryGetValue(fp, out int d) && d <= depth, $"a state the plain search does not reach by depth {depth}:\n{what}");
            }
            Assert.True(canonical.States <= reduced.States, what);
            if (plain.Reached.Count > 0) violating++;
            plainStates += plain.States;
            reducedStates += canonical.States;
        }
        Assert.True(scenarios > 25, $"only {scenarios} scenarios");
        if (kernelName == "v4.14-fixed") Assert.Equal(0, violating);
        else Assert.True(violating > 0, $"{kernelName}: no scenario of the corpus violates, so the comparison shows nothing");
        Assert.True(reducedStates <= plainStates);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Actions_the_sleep_sets_treat_as_independent_commute(string kernelName)
    {
        int pairs = 0;
        Walk(kernelName, 20, (w, enabled, agents) =>
        {
            foreach (SchedAction t in enabled[..agents])
            {
                w.Reset();
                w.Run(t);
                HardwareFootprint f = HardwareFootprints.OfTransition(w.Sim);
                foreach (SchedAction h in enabled[agents..])
                {
                    if (!HardwareFootprints.Commutes(f, h, w.Space.IsCpuTlb(w.Space.Index(h)))) continue;
                    pairs++;
                    w.AssertCommute(t, h, $"{t} ({f}) and {h} do not commute");
                }
            }
        });
        Assert.True(pairs > 200, $"only {pairs} pairs checked");
    }

    /// <summary>
    /// The persistent set's claim (Explorer.Expand): when no enabled agent step, walk, command or
    /// completion touches one side of the machine (the CPU TLBs, or the device side), each optional
    /// action of that side commutes with every one of them, so leaving the side out loses no path.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void Hardware_of_a_side_no_step_touches_commutes_with_every_step(string kernelName)
    {
        int pairs = 0, cpuSide = 0, deviceSide = 0;
        Walk(kernelName, 40, (w, enabled, agents) =>
        {
            var touched = HardwareFootprint.None;
            foreach (SchedAction t in enabled[..agents])
            {
                w.Reset();
                w.Run(t);
                touched = HardwareFootprints.Union(touched, HardwareFootprints.OfTransition(w.Sim));
            }
            foreach (SchedAction h in enabled[agents..])
            {
                bool cpu = w.Space.IsCpuTlb(w.Space.Index(h));
                if (cpu ? HardwareFootprints.TouchesCpu(touched) : HardwareFootprints.TouchesDevice(touched)) continue;
                if (cpu) cpuSide++;
                else deviceSide++;
                foreach (SchedAction t in enabled[..agents])
                {
                    pairs++;
                    w.AssertCommute(t, h, $"{h} is left out beside {t} (touched: {touched}), but they do not commute");
                }
            }
        });
        Assert.True(pairs > 100, $"only {pairs} pairs checked");
        Assert.True(cpuSide > 10, $"only {cpuSide} CPU TLB actions left out");
        if (kernelName != "seed-a") Assert.True(deviceSide > 10, $"only {deviceSide} device-side actions left out");
    }

    /// <summary>
    /// Pairs with hardware the sleep sets treat as independent commute too: optional actions of
    /// different entries, a walk, completion or command beside a CPU TLB action or beside an agent
    /// step that touches nothing hardware does.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void Hardware_actions_the_sleep_sets_treat_as_independent_commute(string kernelName)
    {
        int pairs = 0, progress = 0;
        Walk(kernelName, 40, (w, enabled, agents) =>
        {
            // An agent step's footprint is what it did here; hardware's is not used.
            var footprints = new HardwareFootprint[enabled.Length];
            for (int i = 0; i < enabled.Length; i++)
            {
                footprints[i] = HardwareFootprint.All;
                if (enabled[i].Kind != ActionKind.Step) continue;
                w.Reset();
                w.Run(enabled[i]);
                footprints[i] = HardwareFootprints.OfTransition(w.Sim);
            }
            for (int i = 0; i < enabled.Length; i++)
            {
                for (int j = i + 1; j < enabled.Length; j++)
                {
                    int xi = w.Space.Index(enabled[i]), yi = w.Space.Index(enabled[j]);
                    // Agent steps against optional hardware: the test above.
                    if (w.Space.IsStep(xi) && !w.Space.IsHardwareProgress(yi)) continue;
                    if (!w.Space.Independent(xi, footprints[i], yi, footprints[j])) continue;
                    pairs++;
                    if (w.Space.IsHardwareProgress(xi) || w.Space.IsHardwareProgress(yi)) progress++;
                    w.AssertCommute(enabled[i], enabled[j], $"{enabled[i]} and {enabled[j]} do not commute");
                }
            }
        });
        Assert.True(pairs > 200, $"only {pairs} pairs checked");
        if (kernelName != "seed-a") Assert.True(progress > 20, $"only {progress} pairs with a walk, completion or command checked");
    }

    /// <summary>One scenario's simulator at a state of a random walk, restorable, for running pairs of actions in both orders.</summary>
    private sealed class Walker
    {
        public readonly Simulator Sim;
        public readonly LinearizabilityMonitor Mon;
        public readonly StateCodec Codec;
        public readonly ActionSpace Space;
        private readonly SimSnapshot Snap;
        private readonly LinearizabilityMonitor.Snapshot MonSnap;

        public Walker(KernelDefinition kernel, Scenario sc)
        {
            Sim = new Simulator(kernel, sc);
            Mon = new LinearizabilityMonitor(Sim);
            Codec = new StateCodec(Sim, Mon);
            Space = new ActionSpace(Sim);
            Snap = Sim.NewSnapshot();
            MonSnap = Mon.NewSnapshot();
        }

        public void Save()
        {
            Sim.Save(Snap);
            Mon.Save(MonSnap);
        }

        public void Reset()
        {
            Sim.Restore(Snap);
            Mon.Restore(MonSnap);
        }

        public void Run(SchedAction a) => ReductionTests.Run(Sim, Mon, a);

        /// <summary>From the saved state: <paramref name="x"/> then <paramref name="y"/> and the other way round, each enabled after the other, reach one state with the same violations.</summary>
        public void AssertCommute(SchedAction x, SchedAction y, string message)
        {
            Reset();
            Run(x);
            Assert.True(Sim.IsEnabled(y), $"{x} disables {y}");
            Run(y);
            string xy = Convert.ToHexString(Codec.Encode()), verdicts = Verdicts(Sim, Mon);
            Reset();
            Run(y);
            Assert.True(Sim.IsEnabled(x), $"{y} disables {x}");
            Run(x);
            Assert.Equal(verdicts, Verdicts(Sim, Mon));
            Assert.True(xy == Convert.ToHexString(Codec.Encode()), message);
        }
    }

    /// <summary>
    /// Up to 40 states of a random walk through each scenario of the corpus (an agent step, or with
    /// <paramref name="hardwarePercent"/> any action), each offered to <paramref name="visit"/> with
    /// its enabled actions (agent steps first) and saved, so that the visitor can restore it.
    /// </summary>
    private static void Walk(string kernelName, int hardwarePercent, Action<Walker, SchedAction[], int> visit)
    {
        KernelDefinition kernel = KernelLoader.Load(kernelName, Path.Combine(Root, "kernels"));
        foreach (Scenario sc in Scenarios(kernelName, 60))
        {
            var w = new Walker(kernel, sc);
            var rng = new Pcg32(ScenarioHashOf(sc) ^ (ulong)hardwarePercent);
            var buf = new SchedAction[w.Sim.MaxActions];
            for (int step = 0; step < 40; step++)
            {
                int n = w.Sim.CollectEnabled(buf, out int agents);
                if (agents == 0) break;
                w.Save();
                SchedAction[] enabled = buf[..n];
                visit(w, enabled, agents);
                w.Reset();
                w.Run(enabled[rng.Chance(hardwarePercent) ? rng.Next(n) : rng.Next(agents)]);
                if (w.Sim.Violations.Any || w.Mon.Violated) break;
            }
        }
    }

    private static ulong ScenarioHashOf(Scenario s) => Fuzz.Formats.Scenarios.ScenarioHash.Of(s);

    private static void Run(Simulator sim, LinearizabilityMonitor mon, SchedAction a)
    {
        sim.Execute(a);
        mon.Observe(sim);
    }

    private static string Verdicts(Simulator s, LinearizabilityMonitor m) =>
        string.Join(",", s.Violations.Items.ToArray().Select(v => $"{v.Oracle}/{v.Code}")) + (m.Violated ? ",monitor" : "");
}
