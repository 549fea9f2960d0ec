using Fuzz.Formats.Kernels;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Search.Verification;

namespace Fuzz.Tests.Search.Verification;

/// <summary>
/// A search continued level by level (the verify runner's first pass) answers as one search to the
/// same depth: same verdict, counterexample, states, transitions and pruned actions.
/// </summary>
public class ExplorerAdvanceTests
{
    private static string Root => KernelLoader.RepoRoot(AppContext.BaseDirectory)!;

    [Theory]
    [InlineData("seed-a", 1)]
    [InlineData("seed-b", 1)]
    [InlineData("seed-b", 3)]
    [InlineData("v4.14-fixed", 4)]
    public void Advancing_in_steps_gives_the_answer_of_one_search(string kernelName, int step)
    {
        KernelDefinition kernel = KernelLoader.Load(kernelName, Path.Combine(Root, "kernels"));
        Scope scope = ScopeFile.Load(ScopeLoader.Find("thread", Root));
        int compared = 0;
        foreach (Scenario sc in ScopeEnumerator.Enumerate(scope, kernelName).Where((_, i) => i % 4 == 1))
        {
            ExploreResult whole = new Explorer(kernel, sc, new ExploreOptions { MaxDepth = 24 }).Run();
            var explorer = new Explorer(kernel, sc, new ExploreOptions { MaxDepth = 24 });
            ExploreResult last = explorer.Advance(step);
            for (int depth = 2 * step; explorer.CanAdvance; depth += step)
            {
                Assert.Equal(ExploreVerdict.Bounded, last.Verdict);
                last = explorer.Advance(depth);
            }
            Assert.Equal(Summary(whole), Summary(last));
            Assert.Same(last, explorer.Advance(100));
            compared++;
        }
        Assert.True(compared >= 10, $"only {compared} scenarios");
    }

    private static string Summary(ExploreResult r) =>
        $"{r.Verdict} {r.Oracle} {r.Code} depth {r.Depth} states {r.States} transitions {r.Transitions} pruned {r.Pruned} path {string.Join(",", r.Path)}";
}
