using Fuzz.Formats.Kernels;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Reporting.Text;
using Fuzz.Search.Shrinking;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Shrinking;

public class CriticalOrderingsTests
{
    private static KernelDefinition Kernel(string name) =>
        KernelLoader.Load(name, Path.Combine(KernelLoader.RepoRoot(AppContext.BaseDirectory)!, "kernels"));

    /// <summary>A shrunk counterexample of the programs, with a schedule searched for (not written down: the model's step counts change).</summary>
    private static Scenario Counterexample(string programs, KernelDefinition kernel, OracleId oracle)
    {
        Scenario s = TestKit.Scenario(programs);
        Scenario found = ScheduleSearch.Find(s, kernel, oracle, 300) ?? throw new InvalidOperationException("no schedule violates " + OracleNames.Name(oracle));
        return new Shrinker(kernel, oracle).Shrink(found);
    }

    private static (Simulator Sim, CriticalOrderings.Result Result) Analyse(Scenario s, KernelDefinition kernel, OracleId oracle)
    {
        CriticalOrderings.Result r = CriticalOrderings.Find(s, kernel, oracle);
        return (Replayer.Run(r.Full, kernel).Sim, r);
    }

    private const string SeedB = """
        cpus 2
        pages 1
        device mm0
        page mm0 A zero
        cpu 0 mm0: store A 1
        cpu 1 mm0: store A 2
        device: dma_read A
        """;

    /// <summary>Shrunk once for every test that reads it.</summary>
    private static readonly Lazy<Scenario> SeedBCounterexample = new(() => Counterexample(SeedB, Kernel("seed-b"), OracleId.Linearizability));

    [Fact]
    public void Seed_b_needs_exactly_the_three_orderings_of_the_threads_table()
    {
        KernelDefinition kernel = Kernel("seed-b");
        Scenario s = SeedBCounterexample.Value;
        var (sim, r) = Analyse(s, kernel, OracleId.Linearizability);
        string[] words = r.Orderings.Select(o => OrderingText.Describe(sim, o)).ToArray();
        // Jerome Glisse's table: the IOMMU walks and caches A (answering the device's speculative
        // request) before the CPU clears the PTE; the CPU's new page is written after set_pte; the
        // device reads the old page before the ATC invalidation that range_end queued is executed.
        // The request and the completion are cause and effect of the walk, not orderings of their own.
        Assert.Equal(
            [
                "IOMMU ats walk A before CPU0 ptep_get_and_clear A",
                "CPU1 store A after CPU0 set_pte_at A",
                "IOMMU INVALIDATE_IOTLB_PAGES A after DEV dma_read A",
            ],
            words);
        // The violation's own order (the device's read after the store it missed) is the oracle's
        // message, not a separate need.
        Assert.NotNull(r.Witness);
        Assert.DoesNotContain(r.Witness!.Value, r.Orderings);
    }

    [Fact]
    public void Swapping_a_critical_ordering_loses_the_violation_and_every_ordering_is_cross_agent()
    {
        KernelDefinition kernel = Kernel("seed-b");
        Scenario s = SeedBCounterexample.Value;
        CriticalOrderings.Result r = CriticalOrderings.Find(s, kernel, OracleId.Linearizability);
        SchedAction[] taken = r.Full.Schedule.ToArray();
        Assert.True(Replayer.Run(r.Full, kernel).Violates(OracleId.Linearizability));
        foreach (CriticalOrdering o in r.Orderings)
        {
            Assert.True(o.Before < o.After);
            Assert.NotEqual(taken[o.Before].Agent, taken[o.After].Agent);
            // A schedule names an agent's next step, not a step: the pair swaps by moving one side
            // past the other only where its own agent does nothing in between. Every such swap
            // loses the violation, or is one the kernel does not allow (not taken as written).
            var swaps = new List<SchedAction[]>();
            if (!Between(taken, o.Before, o.After, taken[o.Before].Agent)) swaps.Add(MoveAfter(taken, o.Before, o.After));
            if (!Between(taken, o.Before, o.After, taken[o.After].Agent)) swaps.Add(MoveBefore(taken, o.After, o.Before));
            Assert.NotEmpty(swaps);
            foreach (SchedAction[] swapped in swaps)
            {
                ReplayResult rr = Replayer.Run(r.Full with { Schedule = swapped }, kernel);
                Assert.False(rr.FollowedSchedule && rr.Violates(OracleId.Linearizability), $"swapping {o} keeps the violation");
            }
        }
    }

    private static bool Between(SchedAction[] a, int from, int to, byte agent)
    {
        for (int k = from + 1; k < to; k++)
        {
            if (a[k].Agent == agent) return true;
        }
        return false;
    }

    private static SchedAction[] MoveBefore(SchedAction[] a, int from, int to)
    {
        var l = a.ToList();
        SchedAction x = l[from];
        l.RemoveAt(from);
        l.Insert(to, x);
        return l.ToArray();
    }

    private static SchedAction[] MoveAfter(SchedAction[] a, int from, int to)
    {
        var l = a.ToList();
        SchedAction x = l[from];
        l.Insert(to + 1, x);
        l.RemoveAt(from);
        return l.ToArray();
    }

    [Fact]
    public void The_v414_mapcount_reuse_race_needs_the_stale_translation_the_reuse_after_the_unmap_and_the_read_before_the_invalidation()
    {
        // v4.14 as released decides CoW reuse by mapcount (reuse_swap_page): a page the zap has
        // unmapped but not yet flushed is reused in place by the other process.
        KernelDefinition kernel = KernelDefinition.V414;
        Scenario s = Counterexample(Fuzz.Tests.Shared.ThreadScenarios.MapcountReuse, kernel, OracleId.Isolation);
        var (sim, r) = Analyse(s, kernel, OracleId.Isolation);
        string[] words = r.Orderings.Select(o => OrderingText.Describe(sim, o)).ToArray();
        Assert.Contains(words, w => w.Contains("IOMMU ats walk A before CPU0 ptep_get_and_clear_full mm0 A", StringComparison.Ordinal));
        Assert.Contains(words, w => w.Contains("CPU1 reuse_swap_page mm1 A after CPU0 page_remove_rmap(page) mm0 A", StringComparison.Ordinal));
        Assert.Contains(words, w => w.Contains("IOMMU INVALIDATE_IOTLB_PAGES A after DEV dma_read A", StringComparison.Ordinal));
        Assert.Equal(3, words.Length);
    }

    [Fact]
    public void A_violation_of_one_agent_alone_needs_no_ordering()
    {
        // wp_page_copy without its last put_page leaks the old page whatever anyone else does: a
        // bug of one recipe, with no race in it.
        KernelDefinition kernel = TestKit.Variant("remove wp_page_copy put_page(page)#2");
        Scenario s = TestKit.Scenario("""
            cpus 2
            pages 1
            page mm0 A 5 ro
            page mm1 A shared mm0 A
            cpu 0 mm0: store A 1
            cpu 1 mm0: load A
            """);
        ReplayResult run = Replayer.Run(s, kernel);
        Assert.False(run.Coherent, TestKit.Show(run));
        OracleId oracle = run.Sim.Violations[0].Oracle;
        CriticalOrderings.Result r = CriticalOrderings.Find(s, kernel, oracle);
        Assert.Empty(r.Orderings);
        Assert.Contains("no order between agents", string.Join("\n", OrderingText.Lines(Replayer.Run(r.Full, kernel).Sim, r.Orderings)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_brief_table_marks_the_ordered_steps_and_folds_the_rest()
    {
        KernelDefinition kernel = Kernel("seed-b");
        Scenario s = SeedBCounterexample.Value;
        var (sim, r) = Analyse(s, kernel, OracleId.Linearizability);
        IReadOnlyList<string> full = TableRenderer.Render(sim, showLocal: false, OrderingText.TableMarks(sim, r.Orderings, brief: false));
        IReadOnlyList<string> brief = TableRenderer.Render(sim, showLocal: false, OrderingText.TableMarks(sim, r.Orderings, brief: true));
        Assert.Equal(sim.Tick + 2, full.Count);
        Assert.True(brief.Count < full.Count);
        Assert.Contains(brief, l => l.TrimStart() == "...");
        Assert.Contains(brief, l => l.Contains("ptep_get_and_clear A (was pfn 0) {1}", StringComparison.Ordinal));
        Assert.Contains(brief, l => l.Contains("set_pte_at mm0 A -> pfn 1 rw {2}", StringComparison.Ordinal));
        Assert.Contains(brief, l => l.Contains("<-- linearizability", StringComparison.Ordinal));
        Assert.DoesNotContain(brief, l => l.Contains("flush_tlb_page", StringComparison.Ordinal));
    }
}
