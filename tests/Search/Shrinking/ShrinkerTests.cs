using Fuzz.Formats.Scenarios;
using Fuzz.Generators;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Search.Fuzzing;
using Fuzz.Search.Shrinking;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Shrinking;

public class ShrinkerTests
{
    private static readonly DateOnly Day = new(2026, 11, 25);

    private static (FuzzRunner Runner, Finding Finding) FindSeedB(ulong seed)
    {
        var kernel = TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range");
        var runner = new FuzzRunner(new FuzzOptions { Kernel = kernel, KernelRef = "seed-b", Seed = seed, MaxScenarios = 200_000 });
        runner.Run();
        Assert.Single(runner.Findings);
        return (runner, runner.Findings[0]);
    }

    [Fact]
    public void A_shrunk_scenario_is_one_minimal()
    {
        var (_, f) = FindSeedB(5);
        var kernel = TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range");
        Assert.True(Replayer.Run(f.Shrunk, kernel).Violates(f.Oracle));
        foreach (Scenario candidate in ShrinkCandidates.Of(f.Shrunk, kernel))
        {
            bool fails;
            try
            {
                fails = Replayer.Run(candidate, kernel).Violates(f.Oracle);
            }
            catch (ModelLimitException)
            {
                fails = false;
            }
            Assert.False(fails, $"still fails after a one-step simplification:\n{ScenarioWriter.Write(candidate)}");
        }
    }

    [Fact]
    public void The_same_seed_gives_a_byte_identical_shrunk_file()
    {
        var kernel = TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range");
        var (_, first) = FindSeedB(9);
        var (_, second) = FindSeedB(9);
        string a = Text(first, kernel);
        string b = Text(second, kernel);
        Assert.Equal(a, b);
    }

    private static string Text(Finding f, Fuzz.Model.Kernel.KernelDefinition kernel)
    {
        var (scenario, table) = RegressionStore.Compose(f, kernel, "test", Day);
        return ScenarioWriter.Write(scenario, table);
    }

    [Fact]
    public void Shrinking_keeps_the_oracle_even_when_another_fires_first()
    {
        // Seed (a) fires stale-tlb at the MADV_DONTNEED return before the load observes it; asked
        // for linearizability, the shrinker must keep the observing load.
        // v4.14 closes it twice (the nested check and zap_page_range's flush_tlb_range): remove both.
        var kernel = TestKit.Variant("remove tlb_finish_mmu mm_tlb_flush_nested", "remove zap_page_range flush_tlb_range");
        var runner = new FuzzRunner(new FuzzOptions { Kernel = kernel, KernelRef = "seed-a", Seed = 3, MaxScenarios = 100_000, Oracle = OracleId.Linearizability });
        runner.Run();
        Finding f = Assert.Single(runner.Findings);
        Assert.Contains(f.Shrunk.Programs.SelectMany(p => p.Ops), o => o.Kind == OpKind.Load);
        Assert.True(Replayer.Run(f.Shrunk, kernel).Violates(OracleId.Linearizability));
    }
}
