using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Search.Audit;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Audit;

public sealed class AuditTests : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-audit");

    public void Dispose() => _dir.Dispose();

    private static readonly IReadOnlyList<Mutant> All = MutantCatalog.Of(TestKit.Fixed);

    private static Mutant Named(string id) => All.Single(m => m.Id == id);

    [Fact]
    public void Every_kernel_step_is_removed_or_forced_both_ways_and_every_flush_or_notify_is_moved_past_its_unlock()
    {
        foreach (RecipeDraft r in TestKit.Fixed.Drafts)
        {
            if (r.Id == RecipeId.device_access) continue;
            foreach (int i in r.StepIndices())
            {
                StepInfo info = StepCatalog.Info(r.Code[i].Step);
                string step = r.ReferenceOf(i);
                int Count(MutationKind kind) => All.Count(m => m.Recipe == r.Id && m.Kind == kind && m.Step == step);
                bool hardware = info.Category == StepCategory.Hardware;
                bool check = r.Code[i].Kind == InstrKind.Check;
                // A pure check is forced both ways (removing it would fall through, which is one of
                // the two); a check with an effect is removed (effect and branch gone) or forced false.
                int removes = hardware || (check && info.Predicate) ? 0 : 1;
                int forcedTrue = !hardware && check && info.Predicate ? 1 : 0;
                int forcedFalse = !hardware && check ? 1 : 0;
                Assert.True(removes == Count(MutationKind.Remove), $"{r.Id} {step}: {Count(MutationKind.Remove)} removals, expected {removes}");
                Assert.True(forcedTrue == Count(MutationKind.ForceTrue), $"{r.Id} {step}: {Count(MutationKind.ForceTrue)} 'force true', expected {forcedTrue}");
                Assert.True(forcedFalse == Count(MutationKind.ForceFalse), $"{r.Id} {step}: {Count(MutationKind.ForceFalse)} 'force false', expected {forcedFalse}");
            }
        }
        Assert.All(All.Where(m => m.Kind == MutationKind.MovePastUnlock),
            m => Assert.True(m.Category is StepCategory.TlbFlush or StepCategory.SecondaryFlush, m.Id));
        Assert.Contains(All, m => m.Id == "try_to_unmap_one: move mmu_notifier_invalidate_range after pte_unmap_unlock");
        Assert.Contains(All, m => m.Id == "wp_page_copy: move flush_tlb_page after pte_unmap_unlock");
        Assert.Contains(All, m => m.Id == "write_protect_page: force mm_tlb_flush_pending false");
        Assert.Contains(All, m => m.Id == "tlb_finish_mmu: remove tlb_flush_mmu");
    }

    [Fact]
    public void Every_mutant_is_a_kernel_and_every_required_step_exists()
    {
        Assert.Empty(Requirements.Missing(TestKit.Fixed));
        foreach (Mutant m in All)
        {
            // The mutant is the audited kernel (v4.14-fixed: v4.14 and its fixes' edits) plus its one edit.
            KernelDefinition k = m.Build(KernelDefinition.FixedName, "audit.kernel");
            Assert.Equal([.. TestKit.Fixed.Edits, m.Line], k.Edits);
        }
        // v4.14's zap_page_range() flushes the range itself (4647706ebeee), so the nested check alone
        // is not needed there (seed (a) removes both); the fixed kernel's swap-in flush is.
        Assert.Equal(Requirement.None, Named("tlb_finish_mmu: remove mm_tlb_flush_nested").Requirement);
        Assert.Equal(Requirement.BatchedPending, Named("do_swap_page: remove flush_tlb_batched_pending").Requirement);
        Assert.Equal(Requirement.PteRecheck, Named("do_wp_page: force pte_same true").Requirement);
        Assert.Equal(Requirement.None, Named("wp_page_copy: remove mmu_notifier_change_pte").Requirement);
    }

    [Fact]
    public void A_removed_flush_is_caught_and_the_verdict_does_not_depend_on_the_worker()
    {
        var options = new AuditOptions { Kernel = TestKit.Fixed, KernelRef = KernelDefinition.FixedName, Budget = 20_000, Workers = 2 };
        Mutant flush = Named("wp_page_copy: remove flush_tlb_page");
        Mutant notify = Named("wp_page_copy: remove mmu_notifier_change_pte");
        AuditResult[] both = new AuditRunner(options).Run([flush, notify]);
        AuditResult alone = new AuditRunner(options with { Workers = 1 }).RunOne(flush);

        Assert.True(both[0].Caught, AuditTable.Verdict(both[0]));
        Assert.False(both[1].Caught, AuditTable.Verdict(both[1]));
        Assert.Null(both[1].Error);
        Assert.Equal(20_000, both[1].Scenarios);
        Assert.Equal(both[0].Scenarios, alone.Scenarios);
        Assert.Equal(both[0].Finding!.Key, alone.Finding!.Key);
    }

    private const string Regenerate = "dotnet run --project src/Fuzz -c Release -- audit --only 'wp_page_copy: remove flush_tlb_page' --no-save";

    [Fact]
    public void A_caught_mutant_is_saved_with_its_kernel_and_replays_to_its_verdicts()
    {
        var options = new AuditOptions { Kernel = TestKit.Fixed, KernelRef = KernelDefinition.FixedName, Budget = 20_000, Workers = 1 };
        AuditResult r = new AuditRunner(options).RunOne(Named("wp_page_copy: remove flush_tlb_page"));
        Assert.True(r.Caught);
        AuditResult saved = AuditStore.Save(_dir, r, KernelDefinition.FixedName, new DateOnly(2026, 11, 25), Regenerate);
        Assert.NotNull(saved.SavedScenario);
        Assert.True(File.Exists(Path.Combine(_dir, "wp_page_copy-remove-flush_tlb_page.kernel")));
        Scenario s = ScenarioParser.Load(saved.SavedScenario!);
        Assert.Equal("wp_page_copy-remove-flush_tlb_page.kernel", s.Kernel);
        Assert.All(ExpectationCheck.All(s, _dir), c => Assert.True(c.Met, c.Describe()));
        Assert.Contains(s.ExpectUnder, k => k.Kernel == KernelDefinition.FixedName);
        Assert.Contains(s.Comments, c => c.EndsWith("regenerate: " + Regenerate, StringComparison.Ordinal));

        // Saving again changes nothing; a different kernel file under the same name is never overwritten.
        Assert.Equal(saved.SavedScenario, AuditStore.Save(_dir, r, KernelDefinition.FixedName, new DateOnly(2026, 11, 25), Regenerate).SavedScenario);
        string other = Path.Combine(_dir, "wp_page_copy-remove-flush_tlb_page.kernel");
        File.WriteAllText(other, "kernel 1\nname mine\nbase v4.14\n");
        AuditResult again = AuditStore.Save(_dir, r, KernelDefinition.FixedName, new DateOnly(2026, 11, 25), Regenerate);
        Assert.Equal("kernel 1\nname mine\nbase v4.14\n", File.ReadAllText(other));
        Assert.True(File.Exists(Path.Combine(_dir, "wp_page_copy-remove-flush_tlb_page-2.kernel")));
        Assert.Equal("wp_page_copy-remove-flush_tlb_page-2.kernel", ScenarioParser.Load(again.SavedScenario!).Kernel);
    }

    [Fact]
    public void The_focus_aims_kernel_thread_recipes_at_their_thread_and_secondary_steps_at_the_device()
    {
        var reach = AuditFocus.Reaching(TestKit.Fixed, RecipeId.replace_page);
        Assert.Equal([OpKind.KsmMerge], reach);
        Assert.Contains(OpKind.SwapOut, AuditFocus.Reaching(TestKit.Fixed, RecipeId.try_to_unmap_one));
        Assert.Contains(OpKind.Migrate, AuditFocus.Reaching(TestKit.Fixed, RecipeId.try_to_unmap_one));
        Assert.Contains(OpKind.DmaRead, AuditFocus.Reaching(TestKit.Fixed, RecipeId.wp_page_copy));
        Assert.Equal(100, AuditFocus.For(TestKit.Fixed, Named("replace_page: force pte_same true"), Fuzz.Generators.GeneratorSettings.Default)!.KsmdPercent);
        Assert.Equal(100, AuditFocus.For(TestKit.Fixed, Named("zap_page_range: remove mmu_notifier_invalidate_range_end(range)"), Fuzz.Generators.GeneratorSettings.Default)!.DevicePercent);
    }
}
