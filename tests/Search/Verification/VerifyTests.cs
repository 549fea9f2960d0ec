using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Search.Verification;

namespace Fuzz.Tests.Search.Verification;

/// <summary>
/// Shortest means shortest (the thread's tables, step for step), the same answer on one worker and
/// on two, and scope files that say what is wrong with them.
/// </summary>
public class VerifyTests
{
    private static string Root => KernelLoader.RepoRoot(AppContext.BaseDirectory)!;

    private static KernelDefinition Kernel(string name) => KernelLoader.Load(name, Path.Combine(Root, "kernels"));

    private const string ThreadScope = """
        scope 1
        name thread
        ops 1-3
        ops-per-agent 2
        cpus 2
        pages 1
        agents cpu device
        kinds store dma_read
        initial zero
        """;

    private static Scenario Thread(string body) => Fuzz.Tests.Shared.TestKit.Scenario(body) with { Schedule = [] };

    /// <summary>Steps one agent takes alone from the scenario's start until it has run <paramref name="step"/> (or its operation returned).</summary>
    private static int StepsUntil(KernelDefinition kernel, Scenario sc, int agent, StepId? step)
    {
        var sim = new Simulator(kernel, sc);
        for (int n = 1; n < 200; n++)
        {
            int seen = sim.Trace.Count;
            sim.Execute(SchedAction.Step(agent));
            for (int i = seen; i < sim.Trace.Count; i++)
            {
                TraceEvent e = sim.Trace[i];
                if (e.Agent == agent && (step is { } s ? e.Kind == TraceKind.Step && e.Step == s : e.Kind == TraceKind.OpEnd)) return n;
            }
        }
        throw new InvalidOperationException("the agent never got there");
    }

    [Fact]
    public void Seed_b_counterexample_has_the_steps_of_the_thread_table()
    {
        // Jerome Glisse's table: the device translates A; CPU0's CoW up to its set_pte_at; CPU1's
        // store through the new page; the device's read through its old translation. The thread's
        // one "device translates" is three actions of the hardware model (docs/fidelity.md): the
        // device's speculative ATS Translation Request, the IOMMU's walk of the page table, and the
        // device taking the Translation Completion into its ATC. Each is needed (without the walk
        // there is no answer, without the completion no ATC entry) and none can be merged, so the
        // shortest counterexample is the thread's four steps with the first one as those three.
        KernelDefinition kernel = Kernel("seed-b");
        Scenario sc = Thread(Fuzz.Tests.Shared.ThreadScenarios.SeedB);
        int cow = StepsUntil(kernel, sc, 0, StepId.set_pte_at);
        int expected = 3 + cow + 1 + 1;
        ExploreResult r = new Explorer(kernel, sc).Run();
        Assert.Equal(ExploreVerdict.Violation, r.Verdict);
        Assert.Equal(OracleId.Linearizability, r.Oracle);
        int dev = sc.Layout.Device, iommu = sc.Layout.Iommu;
        var translate = new[] { SchedAction.AtsRequest(dev, 0), SchedAction.Walk(iommu, 0), SchedAction.Complete(dev, 0) };
        Assert.Equal(expected, r.Path.Count);
        // The device's read ends it; before it CPU0's CoW, CPU1's store after CPU0's set_pte_at, and
        // the three translation actions in their order, the walk before CPU0 clears the PTE (the
        // search may interleave the rest: equally short orders of the same steps are one race).
        Assert.Equal(SchedAction.Step(dev), r.Path[^1]);
        List<SchedAction> head = r.Path.Take(expected - 1).ToList();
        Assert.Equal(cow, head.Count(a => a == SchedAction.Step(0)));
        Assert.Equal(translate, head.Where(a => !(a.Kind == ActionKind.Step && a.Agent < 2)));
        Assert.True(head.IndexOf(SchedAction.Step(1)) > head.LastIndexOf(SchedAction.Step(0)), "CPU1 stores before CPU0's set_pte_at");
        int clear = StepsUntil(kernel, sc, 0, StepId.ptep_get_and_clear);
        int walk = head.IndexOf(translate[1]);
        Assert.True(head.Take(walk).Count(a => a == SchedAction.Step(0)) < clear, "the IOMMU walks A after CPU0 cleared its PTE");

        // And as the smallest counterexample of a scope that holds it.
        ScenarioResult best = Verify("seed-b", workers: 2).Best!;
        Assert.Equal((3, expected), (best.Ops, best.Depth));
    }

    [Fact]
    public void Seed_a_counterexample_has_the_steps_of_the_thread_table()
    {
        // Nadav Amit's race: CPU0's MADV_DONTNEED clears the PTE and drops the PTL with its flush
        // deferred; CPU1's MADV_DONTNEED finds pte_none, flushes nothing and returns while CPU0's
        // TLB still maps the old page (one hardware fill put it there).
        KernelDefinition kernel = Kernel("seed-a");
        Scenario sc = Thread("""
            cpus 2
            pages 1
            page mm0 A 1 ro
            cpu 0 mm0: madvise_dontneed A
            cpu 1 mm0: madvise_dontneed A
            """);
        int clear = StepsUntil(kernel, sc, 0, StepId.pte_unmap_unlock);
        int second = StepsUntil(kernel, sc with { InitialPages = [] }, 1, null);
        ExploreResult r = new Explorer(kernel, sc).Run();
        Assert.Equal(ExploreVerdict.Violation, r.Verdict);
        Assert.Equal(OracleId.StaleTlb, r.Oracle);
        Assert.Equal(1 + clear + second, r.Path.Count);
        Assert.Equal(second, r.Path.Count(a => a == SchedAction.Step(1)));
        Assert.Single(r.Path, a => a.Kind == ActionKind.Fill);

        ScenarioResult best = Verify("seed-a", workers: 1, scope: ThreadScope.Replace("kinds store dma_read", "kinds madvise_dontneed").Replace("initial zero", "initial value-ro")).Best!;
        Assert.Equal((2, 1 + clear + second), (best.Ops, best.Depth));
    }

    [Fact]
    public void One_worker_and_two_give_the_same_counterexample_file()
    {
        string File(int workers)
        {
            VerifyRunner runner = Verify("seed-b", workers);
            ScenarioResult best = runner.Best!;
            Scenario sc = runner.ScenarioAt(best.Index);
            Counterexample c = Counterexample.Build(Kernel("seed-b"), sc, new Explorer(Kernel("seed-b"), sc).Run());
            return ScenarioWriter.Write(c.Normalized);
        }
        Assert.Equal(File(1), File(2));
    }

    [Fact]
    public void The_fixed_kernel_is_complete_over_a_small_scope()
    {
        VerifyRunner runner = Verify("v4.14-fixed", workers: 2, scope: ThreadScope.Replace("ops 1-3", "ops 1-2").Replace("kinds store dma_read", "kinds store dma_read madvise_dontneed"));
        Assert.Null(runner.Best);
        Assert.True(runner.Finished);
        Assert.All(runner.Results, r => Assert.Equal(ExploreVerdict.Complete, r.Verdict));
    }

    [Fact]
    public void The_first_pass_depth_changes_the_work_not_the_answer()
    {
        // A first pass too shallow for any counterexample defers every scenario to the second pass;
        // one deep enough finds it in the first: the smallest counterexample is the same.
        string scope = ThreadScope.Replace("kinds store dma_read", "kinds madvise_dontneed").Replace("initial zero", "initial value-ro");
        VerifyRunner shallow = Verify("seed-a", workers: 2, scope, firstPass: 3);
        VerifyRunner deep = Verify("seed-a", workers: 2, scope, firstPass: 64);
        Assert.Equal((shallow.Best!.Index, shallow.Best.Ops, shallow.Best.Depth, shallow.Best.Schedule), (deep.Best!.Index, deep.Best.Ops, deep.Best.Depth, deep.Best.Schedule));
    }

    [Fact]
    public void States_a_first_pass_searched_are_counted_once()
    {
        // Only 3-operation scenarios: the first pass (20 deep) cuts short those before the 17-step
        // counterexample; the second searches none of them again (none can be shorter), so their
        // first-pass results are final and the work done is exactly the results' states.
        VerifyRunner runner = Verify("seed-b", workers: 2, ThreadScope.Replace("ops 1-3", "ops 3-3"), firstPass: 20);
        Assert.Equal(17, runner.Best!.Depth);
        Assert.Contains(runner.Results, r => r.Verdict == ExploreVerdict.Bounded && r.Ops == runner.Best.Ops);
        VerifyProgress p = runner.Progress(TimeSpan.Zero);
        Assert.Equal(runner.Results.Sum(r => r.States), p.States);
        Assert.Equal(runner.Results.Sum(r => r.Transitions), p.Transitions);
    }

    [Fact]
    public void A_first_pass_over_its_memory_budget_finishes_scenarios_one_by_one_with_the_same_answer()
    {
        // No memory for the window: every pick drives the deepest explorer to the window's depth
        // instead of advancing them together, as separate searches would; the work can only grow,
        // the smallest counterexample does not change.
        VerifyRunner together = Verify("seed-b", workers: 2, firstPass: 20);
        VerifyRunner apart = Verify("seed-b", workers: 2, firstPass: 20, memory: 1);
        Assert.Equal((together.Best!.Index, together.Best.Ops, together.Best.Depth, together.Best.Schedule), (apart.Best!.Index, apart.Best.Ops, apart.Best.Depth, apart.Best.Schedule));
        Assert.True(apart.Progress(TimeSpan.Zero).States >= together.Progress(TimeSpan.Zero).States);
    }

    [Fact]
    public void The_second_pass_goes_on_from_the_first_pass_frontier_with_the_same_answers()
    {
        // The fixed kernel over a small scope, searched 3 deep first: every scenario is cut short and
        // searched whole in the second pass (none has a counterexample, so none is left out), from
        // its parked frontier or (no memory to park) from its start. Each scenario's answer is the
        // same; parked, no state is searched twice, so the work is the results' states.
        string scope = ThreadScope.Replace("ops 1-3", "ops 1-2").Replace("kinds store dma_read", "kinds store dma_read madvise_dontneed");
        VerifyRunner parked = Verify("v4.14-fixed", workers: 2, scope, firstPass: 3);
        VerifyRunner fresh = Verify("v4.14-fixed", workers: 2, scope, firstPass: 3, park: 0);
        static string Answers(VerifyRunner r) => string.Join("\n", r.Results.OrderBy(x => x.Index).Select(x => $"{x.Index} {x.Verdict} {x.Depth} {x.States} {x.Transitions} {x.Schedule}"));
        Assert.Equal(Answers(fresh), Answers(parked));
        Assert.Contains(parked.Results, r => r.Verdict == ExploreVerdict.Complete && r.Depth > 3);
        Assert.Equal(parked.Results.Sum(r => r.States), parked.Progress(TimeSpan.Zero).States);
        Assert.True(fresh.Progress(TimeSpan.Zero).States > parked.Progress(TimeSpan.Zero).States);
    }

    [Fact]
    public void Progress_counts_the_states_of_searches_still_running_and_of_those_stopped()
    {
        // The fixed kernel's three-operation scenarios of the thread scope, searched together in one
        // first-pass window 64 deep: none ends before level 25, which takes the window seconds (some
        // half a million states), while progress is reported every quarter second. So progress
        // reports states before any result, and a run stopped there keeps them (and their memory)
        // in its figures.
        var runner = new VerifyRunner(new VerifyOptions { Kernel = Kernel("v4.14-fixed"), KernelRef = "v4.14-fixed", Scope = ScopeFile.Parse(ThreadScope.Replace("ops 1-3", "ops 3-3"), "thread.scope"), Workers = 2, FirstPassDepth = 64 });
        using var stop = new CancellationTokenSource();
        long seen = 0;
        runner.Run(null, p =>
        {
            if (p.Done == 0 && p.States > 0)
            {
                seen = p.States;
                stop.Cancel();
            }
        }, stop.Token);
        Assert.True(seen > 0, "progress showed no states while the first scenarios were searched");
        Assert.False(runner.Finished);
        VerifyProgress after = runner.Progress(TimeSpan.Zero);
        Assert.True(after.States >= seen);
        // The memory figures include the scenarios stopped unfinished (the largest of them when no finished one is larger).
        Assert.True(after.PeakBytes > 0 && after.BytesPerState > 0, $"peak {after.PeakBytes}, {after.BytesPerState} bytes per state");
    }

    private static VerifyRunner Verify(string kernel, int workers, string scope = ThreadScope, int firstPass = 32, long memory = 2L << 30, long park = 1L << 30)
    {
        var runner = new VerifyRunner(new VerifyOptions { Kernel = Kernel(kernel), KernelRef = kernel, Scope = ScopeFile.Parse(scope, "thread.scope"), Workers = workers, FirstPassDepth = firstPass, FirstPassMemory = memory, ParkMemory = park });
        runner.Run(null);
        Assert.True(runner.Finished);
        return runner;
    }

    [Theory]
    [InlineData("scope 1\nname x\ncolour blue\n", 3, "unknown key 'colour'")]
    [InlineData("scope 1\nname x\nops 0-2\n", 3, "'lo-hi'")]
    [InlineData("scope 1\nname x\nkinds load jump\n", 3, "unknown operation kind 'jump'")]
    [InlineData("scope 1\nname x\ncpus 2\ncpus 3\n", 4, "given twice")]
    [InlineData("scope 2\nname x\n", 1, "not supported")]
    [InlineData("scope 1\nname x\npage-tables 3\n", 3, "from 1 to 2")]
    [InlineData("scope 1\nname x\npreemptions -1\n", 3, "from 0 to 100")]
    [InlineData("scope 1\nname x\nmms 2\ninitial none shared\n", 4, "'initial shared' needs 'value' or 'value-ro'")]
    [InlineData("scope 1\nname x\nshape disk load\n", 3, "starts with an agent kind")]
    [InlineData("scope 1\nname x\nshape cpu load hop\n", 3, "unknown operation kind 'hop'")]
    [InlineData("scope 1\nname x\nshape cpu dma_read\n", 3, "does not run on cpu")]
    [InlineData("scope 1\nname x\nkinds load\nshape cpu store\n", 4, "'kinds' does not list (store)")]
    [InlineData("scope 1\nname x\nops 1-2\nshape cpu load\nshape cpu load\nshape cpu load\n", 4, "3 operations, outside 'ops'")]
    [InlineData("scope 1\nname x\nops-per-agent 1\nshape cpu load load\n", 4, "'ops-per-agent' is 1")]
    public void A_bad_scope_file_names_the_file_and_line(string text, int line, string message)
    {
        var e = Assert.Throws<FileFormatException>(() => ScopeFile.Parse(text, "bad.scope"));
        Assert.Equal(("bad.scope", line), (e.File, e.Line));
        Assert.Contains(message, e.Reason);
    }

    [Fact]
    public void The_shipped_scopes_parse_and_say_what_they_cover()
    {
        string[] files = Directory.GetFiles(Path.Combine(Root, "scopes"), "*.scope");
        Assert.True(files.Length >= 3);
        foreach (string f in files)
        {
            Scope s = ScopeFile.Load(f);
            Assert.Equal(Path.GetFileNameWithoutExtension(f), s.Name);
            Assert.NotEmpty(s.Description);
        }
    }
}
