using Fuzz.Formats.Kernels;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Tests.Search.Fuzzing;

public class RootCausesTests
{
    private static RootCauses.Shape S(string id, int ops, int steps, params string[] parts) => new(id, parts, ops, steps);

    [Fact]
    public void Shapes_that_need_the_same_orderings_are_one_cause_and_the_simplest_comes_first()
    {
        var causes = RootCauses.Group([S("long", 3, 27, "a", "b", "c"), S("short", 3, 22, "c", "b", "a"), S("big", 5, 67, "a", "b", "c")]);
        RootCauses.Cause c = Assert.Single(causes);
        Assert.Equal(["short", "long", "big"], c.Shapes.Select(s => s.Id));
    }

    [Fact]
    public void A_shape_that_needs_more_than_a_simpler_one_is_folded_under_it_in_any_order()
    {
        // A swap-in or fork that brings the initial state about adds orderings of its own.
        RootCauses.Shape swap = S("swap", 4, 62, "a", "b", "c", "setup1", "setup2");
        RootCauses.Shape core = S("core", 3, 22, "a", "b", "c");
        foreach (var order in new[] { new[] { swap, core }, new[] { core, swap } })
        {
            RootCauses.Cause c = Assert.Single(RootCauses.Group(order));
            Assert.Equal(["a", "b", "c"], c.Parts);
            Assert.Equal("core", c.Simplest.Id);
        }
    }

    [Fact]
    public void Independent_bugs_are_separate_causes_and_a_shape_joins_the_largest_cause_it_contains()
    {
        var causes = RootCauses.Group([S("b1", 3, 22, "b1", "b2", "b3"), S("a1", 3, 26, "a1", "a2"), S("both", 6, 80, "a1", "a2", "b1", "b2", "b3")]);
        Assert.Equal(2, causes.Count);
        Assert.Equal(["b1", "both"], causes[0].Shapes.Select(s => s.Id));
        Assert.Equal(["a1"], causes[1].Shapes.Select(s => s.Id));
    }

    [Fact]
    public void Adding_reports_new_causes_and_a_simpler_shape_of_a_known_one()
    {
        var causes = new RootCauses();
        Assert.True(causes.Add(S("x", 5, 60, "a", "b", "s")).NewCause);
        var (c, isNew) = causes.Add(S("y", 3, 22, "a", "b"));
        Assert.False(isNew);
        Assert.Equal("y", c.Simplest.Id);
        Assert.True(causes.Add(S("z", 2, 10, "q")).NewCause);
        Assert.Equal(2, causes.Count);
        Assert.Equal(3, causes.ShapeCount);
        Assert.Equal("2 distinct failures (3 shapes)", CauseText.Count(causes));
    }

    [Fact]
    public void A_kernel_with_two_independent_bugs_gives_two_causes_each_named_by_its_own_orderings()
    {
        // kernels/seed-a-and-seed-b.kernel: seed (a)'s nested MADV_DONTNEED (a stale TLB entry when
        // madvise returns) and seed (b)'s CoW (the device reads the old page before its invalidation).
        KernelDefinition kernel = KernelLoader.Load("seed-a-and-seed-b", Path.Combine(KernelLoader.RepoRoot(AppContext.BaseDirectory)!, "kernels"));
        var runner = new FuzzRunner(new FuzzOptions
        {
            Kernel = kernel,
            KernelRef = "seed-a-and-seed-b",
            Seed = 12,
            MaxScenarios = 12_000,
            MaxFailures = 0,
        });
        runner.Run();
        IReadOnlyList<RootCauses.Cause> causes = runner.Causes.Group();
        string words = string.Join("\n", runner.Findings.SelectMany(f => f.Cause!.Words));
        Assert.True(causes.Count == 2, $"{CauseText.Count(runner.Causes)}:\n{string.Join("\n", CauseText.Summary(runner.Causes, runner.Findings))}\n{words}");
        // Each cause is named by the invalidation its race beats: seed (b)'s the ATC invalidation
        // the CoW's range_end queues, seed (a)'s the deferred TLB flush of the other zapper.
        Assert.True(words.Contains("DEV dma_read:dma_access < IOMMU INVALIDATE_IOTLB_PAGES", StringComparison.Ordinal), words);
        Assert.True(words.Contains("CPU tlb_flush_mmu_tlbonly:tlb_flush", StringComparison.Ordinal), words);
    }
}
