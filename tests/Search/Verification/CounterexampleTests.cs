using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Search.Verification;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Verification;

/// <summary>Building a counterexample from what the search found: replayed, normalised, never thrown away by the model's bounds.</summary>
public class CounterexampleTests
{
    /// <summary>MADV_DONTNEED and then a fault on the emptied page: do_anonymous_page's path.</summary>
    private const string ZapThenFault = """
        scope 1
        name zap-then-fault
        ops 1-2
        ops-per-agent 2
        cpus 2
        pages 1
        agents cpu
        kinds store madvise_dontneed
        initial value-ro zero
        """;

    /// <summary>
    /// Without set_pte_at, do_anonymous_page's fault never maps the page and is retried, allocating a
    /// frame each time: some reorderings the normaliser tries run out of frames. Such a candidate is
    /// refused (it is a different run, not a smaller form of the failure), as the shrinker refuses
    /// it; before, the exception ended the whole audit in complete mode.
    /// </summary>
    [Fact]
    public void A_counterexample_whose_reorderings_run_out_of_frames_is_still_built()
    {
        KernelDefinition kernel = TestKit.Variant("remove do_anonymous_page set_pte_at");
        var scope = ScopeFile.Parse(ZapThenFault, "test.scope");
        int built = 0;
        foreach (Scenario sc in ScopeEnumerator.Enumerate(scope, KernelDefinition.FixedName))
        {
            ExploreResult r = new Explorer(kernel, sc).Run();
            if (r.Verdict != ExploreVerdict.Violation) continue;
            Counterexample c = Counterexample.Build(kernel, sc, r);
            Assert.NotNull(Counterexample.ReplayedOracle(Replayer.Run(c.Normalized, kernel), c.Oracle));
            built++;
        }
        Assert.True(built > 0, "no scenario of the scope violates under the mutant");
    }
}
