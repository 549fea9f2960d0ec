using Fuzz.Model.Kernel;
using Fuzz.Search.Audit;
using Fuzz.Search.Verification;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Audit;

/// <summary>
/// The audit's complete mode searches a mutant only in the scenarios where the base kernel runs
/// the mutated recipe. The claim that makes this sound: a mutant differs from its base only in
/// that recipe, so where no reachable state of the base runs it, the mutant's search is the
/// base's, state for state. Checked here by searching those scenarios under the mutants anyway,
/// and by comparing the audit's verdicts with and without leaving them out.
/// </summary>
public class CompleteAuditTests
{
    /// <summary>Faults, CoW and MADV_DONTNEED on two CPUs: some scenarios run wp_page_copy or zap_pte_range, some do not.</summary>
    private const string Cpus = """
        scope 1
        name cpus
        ops 1-2
        ops-per-agent 2
        cpus 2
        pages 1
        agents cpu
        kinds load store madvise_dontneed
        initial none zero value-ro
        """;

    /// <summary>The same with the device's reads, where secondary invalidations matter.</summary>
    private const string Device = """
        scope 1
        name device
        ops 1-2
        ops-per-agent 1
        cpus 1
        pages 1
        agents cpu device
        kinds store madvise_dontneed dma_read
        initial zero value-ro
        """;

    private static readonly IReadOnlyList<Mutant> All = MutantCatalog.Of(TestKit.Fixed);

    private static AuditScope Base(string text) =>
        AuditScopes.Search(TestKit.Fixed, KernelDefinition.FixedName, ScopeFile.Parse(text, "test.scope"), workers: 1);

    [Theory]
    [InlineData(RecipeId.wp_page_copy)]
    [InlineData(RecipeId.zap_pte_range)]
    [InlineData(RecipeId.do_anonymous_page)]
    public void Where_the_base_kernel_never_runs_the_recipe_every_mutant_of_it_searches_the_same_states(RecipeId recipe)
    {
        AuditScope audit = Base(Cpus);
        Assert.True(audit.BaseCoherent);
        var scenarios = ScopeEnumerator.Enumerate(audit.Scope, KernelDefinition.FixedName).ToList();
        var unreached = Enumerable.Range(0, scenarios.Count).Where(i => !audit.Reaches(i, recipe)).ToList();
        // The claim is about something: some scenarios run the recipe and some do not.
        Assert.NotEmpty(unreached);
        Assert.True(unreached.Count < scenarios.Count, $"no scenario of the scope runs {recipe}");
        // Four of the recipe's mutants, spread over its steps (all of them take long in Debug).
        var each = All.Where(m => m.Recipe == recipe).ToList();
        var mutants = Enumerable.Range(0, 4).Select(k => each[k * (each.Count - 1) / 3]).Distinct().ToList();
        Assert.True(each.Count >= 4, $"{recipe} has {each.Count} mutants");
        foreach (int i in unreached)
        {
            ExploreResult b = new Explorer(TestKit.Fixed, scenarios[i]).Run();
            Assert.Equal(0UL, b.Recipes >> (int)recipe & 1);
            foreach (Mutant m in mutants)
            {
                ExploreResult r = new Explorer(m.Build(KernelDefinition.FixedName, m.FileStem + ".kernel"), scenarios[i]).Run();
                Assert.True(r.Verdict == b.Verdict && r.States == b.States && r.Transitions == b.Transitions,
                    $"{m.Id} in scenario {i}: {r.Verdict} with {r.States} states, the base {b.Verdict} with {b.States}");
            }
        }
    }

    [Theory]
    [InlineData("wp_page_copy: remove flush_tlb_page")]
    [InlineData("zap_pte_range: remove flush_tlb_batched_pending")]
    [InlineData("do_anonymous_page: force pte_none#1 false")]
    public void Leaving_out_the_scenarios_that_never_run_the_recipe_gives_the_verdict_of_searching_them_all(string id)
    {
        Mutant m = All.Single(x => x.Id == id);
        AuditScope audit = Base(Device);
        Assert.Contains(Enumerable.Range(0, audit.Scenarios), i => !audit.Reaches(i, m.Recipe));
        var all = audit with { ScenarioRecipes = Enumerable.Repeat(ulong.MaxValue, audit.Scenarios).ToArray() };
        var o = new AuditOptions { Kernel = TestKit.Fixed, KernelRef = KernelDefinition.FixedName };
        AuditResult filtered = CompleteAudit.Run(o, m, [audit], CancellationToken.None);
        AuditResult whole = CompleteAudit.Run(o, m, [all], CancellationToken.None);
        Assert.Null(filtered.Error);
        Assert.Equal(whole.Caught, filtered.Caught);
        if (whole.Caught)
        {
            Assert.Equal(whole.Finding!.Oracle, filtered.Finding!.Oracle);
            Assert.Equal(whole.ShrunkSteps, filtered.ShrunkSteps);
            Assert.Equal(whole.Finding.Key, filtered.Finding.Key);
        }
        else
        {
            Assert.StartsWith("coherent over scope device", filtered.Complete);
            Assert.StartsWith("coherent over scope device", whole.Complete);
            Assert.True(filtered.Scenarios <= whole.Scenarios);
        }
    }
}
