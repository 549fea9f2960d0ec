using Fuzz.Formats.Kernels;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Search.Verification;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Verification;

/// <summary>
/// The preemption bound (ExploreOptions.Preemptions): a path it finds spends no more preemptions
/// than the bound, counted again here from the replayed path; a bound no path needs finds what the
/// unbounded search finds; a larger bound finds at least as much, no later; and the persistent set
/// kept under the bound loses nothing against the bounded search without it.
/// </summary>
public class PreemptionBoundTests
{
    private static string Root => KernelLoader.RepoRoot(AppContext.BaseDirectory)!;

    private static KernelDefinition Kernel(string name) => KernelLoader.Load(name, Path.Combine(Root, "kernels"));

    // As deep as the thread's counterexamples (17 and 19 steps), so that the corpus stays quick.
    private const int Depth = 19;

    // Two- and three-operation accesses and zaps on two CPUs and the device (the reduction tests' corpus).
    private const string Thread = ReductionTests.Thread;

    /// <summary>Preemptions on a path, counted as the bound counts them: another agent's step while the last agent to step could step.</summary>
    private static int Preemptions(KernelDefinition kernel, Scenario scenario, IReadOnlyList<SchedAction> path)
    {
        var sim = new Simulator(kernel, scenario, SimOptions.Default);
        var enabled = new SchedAction[sim.MaxActions];
        int last = -1, spent = 0;
        foreach (SchedAction a in path)
        {
            SchedAction[] now = enabled[..sim.CollectEnabled(enabled, out _)];
            Assert.Contains(a, now);
            if (a.Kind == ActionKind.Step)
            {
                if (last >= 0 && a.Agent != last && now.Any(e => e.Kind == ActionKind.Step && e.Agent == last)) spent++;
                last = a.Agent;
            }
            sim.Execute(a);
        }
        return spent;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Seed_b_under_a_bound_is_found_on_a_path_within_it(int bound)
    {
        KernelDefinition kernel = Kernel("seed-b");
        Scenario sc = TestKit.Scenario(ThreadScenarios.SeedB) with { Schedule = [] };
        ExploreResult free = new Explorer(kernel, sc).Run();
        ExploreResult bounded = new Explorer(kernel, sc, new ExploreOptions { Preemptions = bound }).Run();
        Assert.Equal(ExploreVerdict.Violation, bounded.Verdict);
        Assert.True(Preemptions(kernel, sc, bounded.Path) <= bound);
        Assert.True(bounded.Path.Count >= free.Path.Count);
        // The replayed path violates what the search said.
        var r = Replayer.Run(sc with { Schedule = bounded.Path.ToArray() }, kernel);
        Assert.True(r.Sim.Violations.Any);
    }

    [Theory]
    [InlineData("seed-b")]
    [InlineData("seed-a")]
    [InlineData("v4.14-fixed")]
    public void A_larger_bound_finds_as_much_no_later_and_a_bound_no_path_needs_finds_what_the_unbounded_search_finds(string kernelName)
    {
        KernelDefinition kernel = Kernel(kernelName);
        int scenarios = 0;
        foreach (Scenario sc in ScopeEnumerator.Enumerate(ScopeFile.Parse(Thread, "thread.scope"), kernelName).Where((_, i) => i % 9 == 0))
        {
            ExploreResult free = new Explorer(kernel, sc, new ExploreOptions { AllViolations = true, MaxDepth = Depth, MaxStates = 200_000 }).Run();
            if (free.Verdict == ExploreVerdict.Limit) continue;
            scenarios++;
            ExploreResult? smaller = null;
            foreach (int bound in new[] { 0, 1, 2, 100 })
            {
                ExploreResult b = new Explorer(kernel, sc, new ExploreOptions { AllViolations = true, MaxDepth = Depth, Preemptions = bound }).Run();
                // Every violation a bounded search reaches, the free search reaches no later.
                foreach (ReachedViolation v in b.Reached)
                    Assert.Contains(free.Reached, f => f.Oracle == v.Oracle && f.Code == v.Code && f.Depth <= v.Depth);
                foreach (ReachedViolation v in smaller?.Reached ?? [])
                    Assert.Contains(b.Reached, f => f.Oracle == v.Oracle && f.Code == v.Code && f.Depth <= v.Depth);
                smaller = b;
            }
            // Three operations need at most a few preemptions: a bound of 100 is no bound.
            Assert.Equal(free.Reached, smaller!.Reached);
            Assert.Equal(free.Verdict, smaller.Verdict);
        }
        Assert.True(scenarios > 4, $"only {scenarios} scenarios");
    }

    [Theory]
    [InlineData("seed-b", 0)]
    [InlineData("seed-b", 1)]
    [InlineData("seed-a", 1)]
    [InlineData("v4.14", 0)]
    public void Under_a_bound_the_persistent_set_loses_nothing(string kernelName, int bound)
    {
        KernelDefinition kernel = Kernel(kernelName);
        int violating = 0;
        // The corpus as deep as the thread's tables; the race's own scenario without preemptions whole (its path is longer then).
        var corpus = ScopeEnumerator.Enumerate(ScopeFile.Parse(Thread, "thread.scope"), kernelName).Where((_, i) => i % 5 == 2).Select(s => (s, Depth, 200_000))
            .Append((TestKit.Scenario(kernelName == "seed-b" ? ThreadScenarios.SeedB : ThreadScenarios.MapcountReuse) with { Schedule = [] }, bound == 0 ? int.MaxValue : Depth, 1_000_000));
        foreach (var (sc, depth, limit) in corpus)
        {
            ExploreResult plain = new Explorer(kernel, sc, new ExploreOptions { Reduce = false, AllViolations = true, MaxDepth = depth, Preemptions = bound, MaxStates = limit }).Run();
            if (plain.Verdict == ExploreVerdict.Limit) continue;
            ExploreResult reduced = new Explorer(kernel, sc, new ExploreOptions { AllViolations = true, MaxDepth = depth, Preemptions = bound }).Run();
            Assert.Equal(plain.Reached, reduced.Reached);
            Assert.True(reduced.States <= plain.States);
            if (plain.Reached.Count > 0) violating++;
        }
        Assert.True(violating > 0, "no scenario of the corpus violates, so the comparison shows nothing");
    }

    [Fact]
    public void Shapes_keep_the_scenarios_with_those_programs_and_an_mm_pins_a_program()
    {
        string Scope(string shapes) => "scope 1\nname s\nops 3\nops-per-agent 2\ncpus 2\npages 1\nmms 2\nagents cpu\nkinds load store fork\ninitial value\n" + shapes;
        List<Scenario> all = ScopeEnumerator.Enumerate(ScopeFile.Parse(Scope(""), "s.scope"), "k").ToList();
        Scope shaped = ScopeFile.Parse(Scope("shape cpu fork load\nshape cpu store\n"), "s.scope");
        List<Scenario> some = ScopeEnumerator.Enumerate(shaped, "k").ToList();
        List<Scenario> pinned = ScopeEnumerator.Enumerate(ScopeFile.Parse(Scope("shape cpu fork load\nshape cpu mm1 store\n"), "s.scope"), "k").ToList();
        string Text(Scenario s) => Fuzz.Formats.Scenarios.ScenarioWriter.Write(s);
        // Exactly the scenarios of the whole scope whose programs are the shapes: the store in the parent or in the child.
        Assert.Equal(all.Where(shaped.Fits).Select(Text), some.Select(Text));
        Assert.Equal(2, some.Count);
        Assert.All(some, s => Assert.Contains(s.Programs, p => p.Ops.Select(o => o.Kind).SequenceEqual(new[] { OpKind.Fork, OpKind.Load })));
        Scenario child = Assert.Single(pinned);
        Assert.Contains(child.Programs, p => p.Mm == 1 && p.Ops is [{ Kind: OpKind.Store }]);
        Assert.Contains(Text(child), some.Select(Text));
    }

    [Fact]
    public void The_shipped_race_scope_is_one_of_the_non_preemptive_scopes_scenarios()
    {
        Scope race = ScopeFile.Load(Path.Combine(Root, "scopes", "swap-reuse-race.scope"));
        Scope four = ScopeFile.Load(Path.Combine(Root, "scopes", "swap-reuse-0.scope"));
        Assert.Equal((0, 0), (race.Preemptions, four.Preemptions));
        Scenario one = Assert.Single(ScopeEnumerator.Enumerate(race, "k"));
        List<string> texts = ScopeEnumerator.Enumerate(four, "k").Select(s => Fuzz.Formats.Scenarios.ScenarioWriter.Write(s)).ToList();
        Assert.Equal(4, texts.Count);
        Assert.Contains(Fuzz.Formats.Scenarios.ScenarioWriter.Write(one), texts);
    }
}
