using System.Collections.Concurrent;
using Fuzz.Campaigns.Report;
using Fuzz.Campaigns;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Campaigns;

public sealed class CampaignTests : IDisposable
{
    private readonly TempDirectory _root = new("fuzz-campaign");

    public void Dispose() => _root.Dispose();

    private static KernelDefinition SeedB => TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range");

    public const string SeedBText = "kernel 1\nname seed-b\nbase v4.14\nremove wp_page_copy mmu_notifier_invalidate_range\n";

    /// <summary>A campaign of seed (b) with a scenario budget, created and run in-process (its kernel file copied into findings/).</summary>
    public static (CampaignDirectory Dir, ConcurrentBag<ulong> Seeds) Run(string root, string name, Shard shard, long perWorker, int workers = 2)
    {
        var dir = new CampaignDirectory(Path.Combine(root, name));
        using DirectoryLock held = dir.CreateLocked(
            new CampaignManifest { Kernel = "seed-b.kernel", Seed = 0x5eed, Shard = shard, Workers = workers, ScenariosPerWorker = perWorker },
            ("seed-b.kernel", SeedBText));
        var seeds = new ConcurrentBag<ulong>();
        new CampaignRunner(dir, KernelLoader.Load("seed-b.kernel", dir.FindingsDir)) { Observer = (_, s) => seeds.Add(s) }.Run(null);
        return (dir, seeds);
    }

    private (CampaignDirectory Dir, ConcurrentBag<ulong> Seeds) Run(string name, Shard shard, long perWorker, int workers = 2) =>
        Run(_root, name, shard, perWorker, workers);

    [Fact]
    public void Shards_cover_disjoint_seeds_and_merge_yields_the_union()
    {
        var (a, seedsA) = Run("shard0", new Shard(0, 2), 3000);
        var (b, seedsB) = Run("shard1", new Shard(1, 2), 3000);
        Assert.Equal(6000, seedsA.Count);
        Assert.Equal(6000, seedsB.Count);
        Assert.Equal(6000, seedsA.Distinct().Count());
        Assert.Empty(seedsA.Intersect(seedsB));

        CampaignDirectory merged = CampaignMerge.Merge(Path.Combine(_root, "merged"), [a.Root, b.Root]);
        Assert.Equal(12000, merged.LoadCheckpoints().Sum(c => c.Done));
        Assert.Equal([0, 1, 2, 3], merged.LoadCheckpoints().Select(c => c.Worker).Order());
        Assert.All(merged.LoadIndex(), r => Assert.InRange(r.Worker, 0, 3));
        var keys = new HashSet<string>();
        foreach (CampaignDirectory d in new[] { a, b })
        {
            foreach (FindingRecord r in d.LoadIndex()) keys.Add(ScenarioHash.FailureKey(r.Oracle, ScenarioParser.Load(Path.Combine(d.FindingsDir, r.File))));
        }
        Assert.NotEmpty(keys);
        var mergedKeys = merged.LoadIndex().Select(r => ScenarioHash.FailureKey(r.Oracle, ScenarioParser.Load(Path.Combine(merged.FindingsDir, r.File)))).ToList();
        Assert.Equal(mergedKeys.Count, mergedKeys.Distinct().Count());
        Assert.True(keys.SetEquals(mergedKeys));
        // Every merged finding still replays to its verdicts (its kernel file came along).
        foreach (FindingRecord r in merged.LoadIndex())
        {
            Scenario s = ScenarioParser.Load(Path.Combine(merged.FindingsDir, r.File));
            Assert.All(ExpectationCheck.All(s, merged.FindingsDir), c => Assert.True(c.Met, c.Describe()));
        }
        Assert.Contains("Failures (", CampaignReport.Render(merged));

        // The same shard twice would count its scenarios twice: refused.
        var twice = Assert.Throws<InputException>(() => CampaignMerge.Merge(Path.Combine(_root, "twice"), [a.Root, a.Root]));
        Assert.Contains("same shard", twice.Message);
        Assert.False(Directory.Exists(Path.Combine(_root, "twice")), "a refused merge creates nothing");
    }

    [Fact]
    public void The_same_inputs_give_the_same_failures_per_worker()
    {
        var (first, _) = Run("first", Shard.Whole, 4000);
        var (second, _) = Run("second", Shard.Whole, 4000);
        static string Found(CampaignDirectory d) => string.Join("\n", d.LoadIndex()
            .Select(r => $"{r.Worker} {r.File} {Seeds.Format(r.ScenarioSeed)} {r.FoundAfterScenarios}").Order(StringComparer.Ordinal));
        Assert.NotEmpty(first.LoadIndex());
        Assert.Equal(Found(first), Found(second));
        Assert.Equal(first.LoadCheckpoints().Select(c => c.Stats.Ticks), second.LoadCheckpoints().Select(c => c.Stats.Ticks));

        // Two whole campaigns of one seed ran the same scenarios: merging them would count them twice.
        Assert.Throws<InputException>(() => CampaignMerge.Merge(Path.Combine(_root, "whole-twice"), [first.Root, second.Root]));
    }

    [Fact]
    public void A_campaign_directory_is_never_created_twice_and_its_files_name_file_and_line_when_malformed()
    {
        var dir = new CampaignDirectory(Path.Combine(_root, "once"));
        var m = new CampaignManifest { Kernel = "v4.14", Seed = 1, Workers = 1, BudgetSeconds = 60, Settings = GeneratorSettings.Default with { MaxOps = 5 } };
        dir.CreateLocked(m).Dispose();
        Assert.Contains("already holds a campaign", Assert.Throws<InputException>(() => dir.CreateLocked(m)).Message);
        Assert.Equal(m.Write(), dir.LoadManifest().Write());
        Assert.Equal(5, dir.LoadManifest().Settings.MaxOps);
        Assert.True(File.Exists(dir.SettingsPath));

        var e = Assert.Throws<FileFormatException>(() => CampaignManifest.Parse("campaign 1\nkernel v4.14\nseed zz\nworkers 1\n", "c.txt"));
        Assert.Equal(3, e.Line);
        e = Assert.Throws<FileFormatException>(() => WorkerCheckpoint.Parse("worker 1\nindex 0\ndone x\n", "w.txt"));
        Assert.Contains("w.txt:3", e.Message);
        e = Assert.Throws<FileFormatException>(() => CampaignTimeline.Parse("timeline 1\nsample 1 2 3\n", "t.txt"));
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void A_checkpoint_round_trips_every_statistic()
    {
        var (dir, _) = Run("stats", Shard.Whole, 500, workers: 1);
        WorkerCheckpoint c = dir.LoadCheckpoint(0)!;
        Assert.Equal(500, c.Done);
        WorkerCheckpoint again = WorkerCheckpoint.Parse(c.Write(), "x");
        Assert.Equal(c.Write(), again.Write());
        Assert.True(c.Stats.OracleChecks.Sum() > 0);
        Assert.True(c.Stats.RacePairsSeen > 0);
    }
}
