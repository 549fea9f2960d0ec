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
            Assert.False(b.Coverage.Runs(recipe));
            foreach (Mutant m in mutants)
            {
                ExploreResult r = new Explorer(m.Build(KernelDefinition.FixedName, m.FileStem + ".kernel"), scenarios[i]).Run();
                Assert.True(r.Verdict == b.Verdict && r.States == b.States && r.Transitions == b.Transitions,
                    $"{m.Id} in scenario {i}: {r.Verdict} with {r.States} states, the base {b.Verdict} with {b.States}");
            }
        }
    }

    /// <summary>
    /// The finer claim the audit relies on: a mutant is the base until an agent runs the edited step,
    /// so a scenario that runs the recipe but never that step of it searches the same states under
    /// the mutant. do_wp_page reuses a read-only private page in place and copies the zero page
    /// (wp_page_copy, which allocates a zeroed page for the zero page and copies any other): each
    /// branch's steps run in some scenarios only.
    /// </summary>
    [Theory]
    [InlineData(RecipeId.do_wp_page)]
    [InlineData(RecipeId.wp_page_copy)]
    public void Where_the_base_kernel_runs_the_recipe_but_never_the_edited_step_the_mutant_searches_the_same_states(RecipeId recipe)
    {
        AuditScope audit = Base(Cpus);
        var scenarios = ScopeEnumerator.Enumerate(audit.Scope, KernelDefinition.FixedName).ToList();
        var pairs = new List<(int Scenario, Mutant Mutant)>();
        foreach (Mutant m in All.Where(x => x.Recipe == recipe))
        {
            if (m.EditedStep(TestKit.Fixed) is not { } step) continue;
            foreach (int i in Enumerable.Range(0, scenarios.Count))
            {
                if (audit.Reaches(i, recipe) && !audit.Reaches(i, recipe, step)) pairs.Add((i, m));
            }
        }
        // The claim is about something: scenarios that run the recipe and not the step.
        Assert.NotEmpty(pairs);
        var picked = Enumerable.Range(0, 6).Select(k => pairs[k * (pairs.Count - 1) / 5]).Distinct().ToList();
        foreach ((int i, Mutant m) in picked)
        {
            ExploreResult b = new Explorer(TestKit.Fixed, scenarios[i]).Run();
            Assert.True(b.Coverage.Runs(recipe));
            ExploreResult r = new Explorer(m.Build(KernelDefinition.FixedName, m.FileStem + ".kernel"), scenarios[i]).Run();
            Assert.True(r.Verdict == b.Verdict && r.States == b.States && r.Transitions == b.Transitions,
                $"{m.Id} in scenario {i}: {r.Verdict} with {r.States} states, the base {b.Verdict} with {b.States}");
        }
    }

    /// <summary>
    /// An edit the audit need not catch is searched over its smallest scope only (by the base's
    /// states in the scenarios that run the edited step); one it must catch goes on scope by scope
    /// until one catches it; --every-scope sends every edit on.
    /// </summary>
    [Fact]
    public void A_mutant_is_searched_over_its_smallest_scope_and_an_edit_that_must_be_caught_goes_on_until_one_catches_it()
    {
        AuditScope[] scopes = [Base(Cpus), Base(Device)];
        var o = new AuditOptions { Kernel = TestKit.Fixed, KernelRef = KernelDefinition.FixedName };
        Mutant free = All.Single(x => x.Id == "do_page_fault: remove fault_flags");
        Assert.Equal(Requirement.None, free.Requirement);
        var order = CompleteAudit.ScopesFor(free, scopes, TestKit.Fixed).Select(s => s.Scope.Name).ToList();
        Assert.Equal(2, order.Count);
        AuditResult one = CompleteAudit.Run(o, free, scopes, CancellationToken.None);
        AuditResult every = CompleteAudit.Run(o with { EveryScope = true }, free, scopes, CancellationToken.None);
        Assert.StartsWith($"coherent over scope {order[0]} (", one.Complete);
        Assert.StartsWith($"coherent over scopes {order[0]}, {order[1]} (", every.Complete);

        Mutant must = All.Single(x => x.Id == "wp_page_copy: remove flush_tlb_page");
        Assert.NotEqual(Requirement.None, must.Requirement);
        var ladder = CompleteAudit.ScopesFor(must, scopes, TestKit.Fixed).ToList();
        AuditResult r = CompleteAudit.Run(o, must, scopes, CancellationToken.None);
        Assert.Null(r.Error);
        int caughtIn = r.Caught ? ladder.FindIndex(s => s.Scope.Name == r.Complete) : ladder.Count;
        Assert.True(caughtIn >= 0, $"caught over '{r.Complete}', not one of its scopes");
        // Every scope before the one that caught it was searched and is coherent alone.
        foreach (AuditScope before in ladder.Take(caughtIn))
            Assert.StartsWith($"coherent over scope {before.Scope.Name} (", CompleteAudit.Run(o, must, [before], CancellationToken.None).Complete);
    }

    /// <summary>A removal whose step no audit scope runs has no verdict: the table lists it apart, not as a candidate for redundancy.</summary>
    [Fact]
    public void The_table_does_not_count_an_unrun_step_as_coherent()
    {
        Mutant unrun = All.First(x => x.Kind == MutationKind.Remove && x.Recipe == RecipeId.zap_pte_range);
        Mutant coherent = All.First(x => x.Kind == MutationKind.Remove && x.Recipe == RecipeId.do_page_fault);
        var results = new[]
        {
            new AuditResult(unrun, null, 0, 0, TimeSpan.Zero, null) { Complete = CompleteAudit.Unreached + " the step" },
            new AuditResult(coherent, null, 0, 8, TimeSpan.Zero, null) { Complete = "coherent over scope audit-ksm (complete: 8 scenarios, 26,952 states)" },
        };
        var lines = AuditTable.Lines(results, 1, 4).ToList();
        int redundancy = lines.FindIndex(l => l.Contains("candidates for redundancy", StringComparison.Ordinal));
        int noVerdict = lines.FindIndex(l => l.StartsWith("Edits of steps no audit scope runs", StringComparison.Ordinal));
        Assert.True(redundancy >= 0 && noVerdict > redundancy, string.Join("\n", lines));
        Assert.Equal($"  do_page_fault: {coherent.Step}", lines[redundancy + 1]);
        Assert.Equal($"  zap_pte_range: {unrun.Edit}", lines[noVerdict + 1]);
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
        var all = audit with { ScenarioCoverage = new StepCoverage?[audit.Scenarios] };
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
