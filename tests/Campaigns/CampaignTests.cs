using System.Collections.Concurrent;
using Fuzz.Campaigns.Report;
using Fuzz.Campaigns;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;
using Fuzz.Search.Fuzzing;
using Fuzz.Search.Shrinking;
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
        Assert.Contains("Root causes: ", CampaignReport.Render(merged));
        // The grouping is what the shards' indexes recorded: the merge keeps each finding's cause.
        Assert.All(merged.LoadIndex(), r => Assert.NotNull(r.Cause));
        var union = a.LoadIndex().Concat(b.LoadIndex()).Select(r => string.Join(",", r.Cause!)).ToHashSet();
        Assert.True(union.SetEquals(merged.LoadIndex().Select(r => string.Join(",", r.Cause!))));

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
    public void Findings_are_grouped_by_root_cause_and_the_grouping_survives_resume_and_an_index_without_causes()
    {
        var (dir, _) = Run("causes", Shard.Whole, 3000);
        KernelDefinition kernel = KernelLoader.Load("seed-b.kernel", dir.FindingsDir);
        Assert.All(dir.LoadIndex(), r => Assert.True(r.Cause is { Count: > 0 } && r.Steps > 0, r.Write()));
        // Two more shapes of seed (b), as a 2-minute campaign saved them: CPU1's store faults before
        // the CoW clears the PTE and lands on the new page through its retry; and a MADV_DONTNEED
        // racing the CoW of a swapped-in page, so that the device's stale read makes a later load
        // inexplicable. Their orderings differ from the first shape's except against the
        // invalidation both races beat (the ATC invalidation of the CoW's range_end).
        List<FindingRecord> records = dir.LoadIndex();
        foreach (string shape in new[]
        {
            "cpus 2\npages 1\ndevice mm0\npage mm0 A zero\ncpu 0 mm0: store A 1\ncpu 1 mm0: store A 2\ndevice: dma_read A\n" +
                "schedule: DEV.ats:A IOMMU.walk:A CPU0*8 CPU1*3 CPU0*7 CPU1*4\n",
            "cpus 3\npages 1\ndevice mm0\npage mm0 A swapped 1\ncpu 0 mm0: load A; store A 1\ncpu 1 mm0: madvise_dontneed A; load A\n" +
                "cpu 2 mm0: store A 2\ndevice: dma_read A\nschedule: CPU0*2 CPU1*7 CPU0 CPU1 CPU0*2 DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*15\n",
        })
        {
            Scenario shrunk = TestKit.Scenario("kernel seed-b.kernel\n" + shape);
            Assert.True(Replayer.Run(shrunk, kernel).Violates(OracleId.Linearizability), shape);
            var f = new Finding(OracleId.Linearizability, 0, shrunk, shrunk, 0, TimeSpan.Zero, TimeSpan.Zero, 0) { Cause = CauseSignature.Of(shrunk, kernel, OracleId.Linearizability) };
            RegressionStore.Saved saved = RegressionStore.Save(dir.FindingsDir, f, kernel, "test", new DateOnly(2026, 12, 1));
            if (!saved.New) continue;
            records.Add(new FindingRecord(Path.GetFileName(saved.Path), f.Oracle, -1, 0, -1, -1, -1, shrunk.OperationCount, shrunk.OperationCount) { Steps = f.Steps, Cause = f.Cause.Parts });
        }
        using DirectoryLock held = dir.OpenLocked("test");
        dir.SaveIndex(records);
        Assert.True(records.Count >= 3, $"only {records.Count} shapes: the grouping is not exercised");
        // Seed (b) is one race, however many shapes of it there are.
        Assert.Single(CampaignCauses.Group(records));
        var resumed = new CampaignRunner(dir, kernel);
        Assert.Equal(1, resumed.Distinct);
        Assert.Equal(records.Count, resumed.Shapes);
        string html = CampaignReport.Render(dir);
        Assert.Contains($"Root causes: 1 distinct failure, {records.Count} shapes", html);
        Assert.Contains("Cause 1", html);
        Assert.Contains($"{records.Count - 1} other shape", html);
        Assert.Contains("IOMMU ats walk A before CPU0 ptep_get_and_clear A", html);

        // An index written before causes were recorded: they are computed from the finding files.
        dir.SaveIndex(records.Select(r => r with { Cause = null, Steps = -1 }));
        Assert.DoesNotContain(" cause ", File.ReadAllText(dir.IndexPath));
        Assert.Equal(1, new CampaignRunner(dir, kernel).Distinct);
        Assert.Equal(records.Select(r => r.Write()), dir.LoadIndex().Select(r => CampaignCauses.Complete(dir, r).Write()));
    }

    [Fact]
    public void A_finding_record_round_trips_its_cause_and_a_malformed_cause_is_an_error_at_its_line()
    {
        var r = new FindingRecord("f.scenario", OracleId.Linearizability, 1, 7, 100, 2000, 50, 7, 3) { Steps = 22, Cause = ["0a1b2c3d4e5f", "ffffffffffff"] };
        string line = r.Write();
        Assert.EndsWith(" steps 22 cause 0a1b2c3d4e5f,ffffffffffff", line);
        FindingRecord back = FindingRecord.Parse(line.Split(' ')[1..], "index.txt", 3);
        Assert.Equal(line, back.Write());
        foreach (string bad in new[] { "f.scenario oracle linearizability cause 0a1b,zz", "f.scenario oracle linearizability cause 0a1b," })
        {
            var e = Assert.Throws<FileFormatException>(() => FindingRecord.Parse(bad.Split(' '), "index.txt", 3));
            Assert.StartsWith("index.txt:3:", e.Message);
        }
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
