using Fuzz.Formats.Scenarios;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Search.Fuzzing;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Fuzzing;

public sealed class RegressionStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-store");
    private static readonly DateOnly Day = new(2026, 11, 25);

    public void Dispose() => _dir.Dispose();

    private static Finding SeedB()
    {
        Scenario s = TestKit.Scenario("""
            kernel seed-b
            cpus 2
            pages 1
            device mm0
            page mm0 A zero
            cpu 0 mm0: store A 1
            cpu 1 mm0: store A 2
            device: dma_read A
            schedule: DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*12 CPU1 DEV
            """);
        return new Finding(OracleId.Linearizability, 0xabcdef, s, s, 1, TimeSpan.Zero, TimeSpan.Zero, 0);
    }

    [Fact]
    public void Saves_a_file_that_replays_to_its_stated_verdicts()
    {
        var kernel = TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range");
        RegressionStore.Saved saved = RegressionStore.Save(_dir, SeedB(), kernel, "test", Day);
        Assert.True(saved.New);
        Scenario back = ScenarioParser.Load(saved.Path);
        Assert.Equal(Expectation.Violation(OracleId.Linearizability), back.Expect);
        Assert.Equal(KernelDefinition.FixedName, Assert.Single(back.ExpectUnder).Kernel);
        Assert.Contains(back.Comments, c => c.Contains("abcdef"));
        string text = File.ReadAllText(saved.Path);
        Assert.Contains("# tick |", text);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_same_scenario_is_not_saved_twice_and_nothing_is_overwritten()
    {
        var kernel = TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range");
        RegressionStore.Saved first = RegressionStore.Save(_dir, SeedB(), kernel, "test", Day);
        string original = File.ReadAllText(first.Path);
        RegressionStore.Saved again = RegressionStore.Save(_dir, SeedB(), kernel, "test", Day.AddDays(1));
        Assert.False(again.New);
        Assert.Equal(first.Path, again.Path);
        Assert.Equal(original, File.ReadAllText(first.Path));
    }

    [Fact]
    public void A_different_file_under_the_same_name_is_kept_and_the_new_one_gets_a_suffix()
    {
        var kernel = TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range");
        RegressionStore.Saved first = RegressionStore.Save(_dir, SeedB(), kernel, "test", Day);
        string path = first.Path;
        File.Delete(path);
        File.WriteAllText(path, "scenario 1\ncpus 1\n# someone else's file\n");
        RegressionStore.Saved second = RegressionStore.Save(_dir, SeedB(), kernel, "test", Day);
        Assert.True(second.New);
        Assert.NotEqual(path, second.Path);
        Assert.EndsWith("-2.scenario", second.Path);
        Assert.Equal("scenario 1\ncpus 1\n# someone else's file\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_finding_that_a_hand_written_file_shrinks_to_is_already_saved()
    {
        // The shipped seed-b regression is hand-written (CPU0 runs 15 steps, not the 12 the race needs):
        // a fuzz run's shrunk finding of the same race must find it, not save a second copy.
        var kernel = TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range");
        Finding f = SeedB();
        Scenario shrunk = new Fuzz.Search.Shrinking.Shrinker(kernel, OracleId.Linearizability).Shrink(f.Shrunk);
        RegressionStore.Saved first = RegressionStore.Save(_dir, f, kernel, "test", Day);
        Assert.True(first.New);
        Assert.NotEqual(ScenarioHash.Body(shrunk), ScenarioHash.Body(ScenarioParser.Load(first.Path)));
        RegressionStore.Saved again = RegressionStore.Save(_dir, f with { Shrunk = shrunk }, kernel, "test", Day);
        Assert.False(again.New);
        Assert.Equal(first.Path, again.Path);
        Assert.Single(Directory.EnumerateFiles(_dir, "*.scenario"));
    }

    [Fact]
    public void A_variant_given_by_path_is_saved_with_its_kernel_file_and_never_over_another()
    {
        var kernel = TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range");
        const string text = "kernel 1\nname mine\nbase v4.14\nremove wp_page_copy mmu_notifier_invalidate_range\n";
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "mine.kernel"), "kernel 1\nname other\nbase v4.14\n");
        RegressionStore.Saved saved = RegressionStore.Save(_dir, SeedB(), kernel, "test", Day, kernelFile: ("mine", text));
        Assert.Equal("mine-2.kernel", ScenarioParser.Load(saved.Path).Kernel);
        Assert.Equal(text, File.ReadAllText(Path.Combine(_dir, "mine-2.kernel")));
        Assert.Equal("kernel 1\nname other\nbase v4.14\n", File.ReadAllText(Path.Combine(_dir, "mine.kernel")));
        Assert.All(Fuzz.Formats.Replay.ExpectationCheck.All(ScenarioFile.Load(saved.Path)), c => Assert.True(c.Met, c.Describe()));
    }
}
