using Fuzz.Campaigns.Report;
using Fuzz.Campaigns;
using Fuzz.Formats.Text;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Campaigns;

/// <summary>
/// What a campaign may write and who may write it: only into a directory fuzz created (or a new or
/// empty one), never over a file it did not write, the kernel file the campaign was given or none,
/// one writer at a time, and campaign files that say something out of range refused at their line.
/// </summary>
public sealed class CampaignDirectoryTests : IDisposable
{
    private readonly TempDirectory _root = new("fuzz-campaign-dir");

    public void Dispose() => _root.Dispose();

    private static CampaignManifest Manifest(string kernel = "v4.14") =>
        new() { Kernel = kernel, Seed = 1, Workers = 1, ScenariosPerWorker = 10 };

    private string Foreign(string name, params (string File, string Text)[] files)
    {
        string dir = Path.Combine(_root, name);
        foreach (var (file, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, file))!);
            File.WriteAllText(Path.Combine(dir, file), text);
        }
        return dir;
    }

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllText);

    [Fact]
    public void A_campaign_onto_a_directory_fuzz_did_not_create_is_refused_and_nothing_in_it_changes()
    {
        string dir = Foreign("mine", ("report.html", "my own report"), ("notes.txt", "keep"));
        var before = Snapshot(dir);
        var e = Assert.Throws<InputException>(() => new CampaignDirectory(dir).CreateLocked(Manifest()));
        Assert.Contains("not created by fuzz", e.Message);
        Assert.Equal(before, Snapshot(dir));
    }

    [Fact]
    public void A_new_or_empty_directory_becomes_a_campaign_directory_with_its_marker()
    {
        string empty = Path.Combine(_root, "empty");
        Directory.CreateDirectory(empty);
        foreach (string dir in new[] { empty, Path.Combine(_root, "new", "deeper") })
        {
            new CampaignDirectory(dir).CreateLocked(Manifest()).Dispose();
            Assert.Equal(CampaignDirectory.Kind, ToolDirectory.KindOf(dir));
            Assert.True(new CampaignDirectory(dir).Exists);
        }
    }

    [Fact]
    public void A_merge_into_a_directory_fuzz_did_not_create_is_refused_and_nothing_in_it_changes()
    {
        var (a, _) = CampaignTests.Run(_root, "a", new Shard(0, 2), 200, workers: 1);
        var (b, _) = CampaignTests.Run(_root, "b", new Shard(1, 2), 200, workers: 1);
        string dir = Foreign("out", (Path.Combine("findings", "index.txt"), "my index"), ("timeline.txt", "my timeline"));
        var before = Snapshot(dir);
        var e = Assert.Throws<InputException>(() => CampaignMerge.Merge(dir, [a.Root, b.Root]));
        Assert.Contains("not created by fuzz", e.Message);
        Assert.Equal(before, Snapshot(dir));

        // Shards of different splits, and a campaign merged into itself, are refused the same way.
        var (c, _) = CampaignTests.Run(_root, "c", new Shard(1, 4), 100, workers: 1);
        Assert.Contains("different splits", Assert.Throws<InputException>(() => CampaignMerge.Merge(Path.Combine(_root, "m1"), [a.Root, c.Root])).Message);
        Assert.Throws<InputException>(() => CampaignMerge.Merge(a.Root, [a.Root, b.Root]));
        Assert.False(Directory.Exists(Path.Combine(_root, "m1")));

        // The merged campaign's report does not offer a resume that would be refused.
        CampaignDirectory merged = CampaignMerge.Merge(Path.Combine(_root, "merged"), [a.Root, b.Root]);
        string html = CampaignReport.Render(merged);
        Assert.DoesNotContain("--resume", html);
        Assert.Contains("resume its shards", html);
        Assert.Contains("--resume", CampaignReport.Render(a));

        // campaign.txt is written last: a merge cut short before it leaves no complete-looking
        // campaign, and merging again into the same directory finishes it.
        string again = Path.Combine(_root, "again");
        CampaignMerge.Merge(again, [a.Root, b.Root]);
        string manifest = File.ReadAllText(Path.Combine(again, "campaign.txt"));
        File.Delete(Path.Combine(again, "campaign.txt"));
        Assert.Throws<InputException>(() => new CampaignDirectory(again).LoadManifest());
        CampaignDirectory finished = CampaignMerge.Merge(again, [a.Root, b.Root]);
        Assert.Equal(manifest.Split('\n').Length, File.ReadAllText(finished.ManifestPath).Split('\n').Length);
        Assert.Equal(merged.LoadCheckpoints().Sum(c => c.Done), finished.LoadCheckpoints().Sum(c => c.Done));
        Assert.Equal(merged.LoadIndex().Count, finished.LoadIndex().Count);
    }

    [Fact]
    public void A_stale_kernel_copy_is_refused_and_the_kernel_is_copied_only_once_everything_else_was_accepted()
    {
        // A directory fuzz created (marker) that holds a findings/seed-b.kernel of other text, no campaign yet.
        string dir = Path.Combine(_root, "stale");
        ToolDirectory.Claim(dir, CampaignDirectory.Kind);
        Directory.CreateDirectory(Path.Combine(dir, "findings"));
        string stale = Path.Combine(dir, "findings", "seed-b.kernel");
        File.WriteAllText(stale, "kernel 1\nname seed-a\nbase v4.14\nremove tlb_finish_mmu mm_tlb_flush_nested\n");
        var campaign = new CampaignDirectory(dir);
        var e = Assert.Throws<InputException>(() => campaign.CreateLocked(Manifest("seed-b.kernel"), ("seed-b.kernel", CampaignTests.SeedBText)));
        Assert.Contains("differs from the kernel file given", e.Message);
        Assert.Contains("seed-a", File.ReadAllText(stale));
        Assert.False(campaign.Exists);

        // A campaign refused for another reason (the directory already holds one) copies no kernel in.
        string other = Path.Combine(_root, "taken");
        new CampaignDirectory(other).CreateLocked(Manifest()).Dispose();
        Assert.Throws<InputException>(() => new CampaignDirectory(other).CreateLocked(Manifest("seed-b.kernel"), ("seed-b.kernel", CampaignTests.SeedBText)));
        Assert.False(File.Exists(Path.Combine(other, "findings", "seed-b.kernel")));

        // The same text already there (a retry after a kill between the copy and the manifest) is fine.
        File.WriteAllText(stale, CampaignTests.SeedBText);
        campaign.CreateLocked(Manifest("seed-b.kernel"), ("seed-b.kernel", CampaignTests.SeedBText)).Dispose();
        Assert.True(campaign.Exists);
    }

    [Fact]
    public void Two_writers_on_one_campaign_are_refused_and_the_lock_is_free_again_after_release()
    {
        string dir = Path.Combine(_root, "busy");
        var first = new CampaignDirectory(dir);
        using (DirectoryLock held = first.CreateLocked(Manifest()))
        {
            var e = Assert.Throws<InputException>(() => new CampaignDirectory(dir).OpenLocked("resume"));
            Assert.Contains("is in use", e.Message);
            Assert.Contains($"pid {Environment.ProcessId}", e.Message);
            Assert.Throws<InputException>(() => CampaignMerge.Merge(dir, [dir]));
            // Writing without the lock is a programming error, not a silent second writer.
            Assert.Throws<InvalidOperationException>(() => new CampaignRunner(new CampaignDirectory(dir), TestKit.Fixed));
        }
        using DirectoryLock again = new CampaignDirectory(dir).OpenLocked("resume");
        Assert.Null(again.Recovered);
    }

    [Fact]
    public void A_lock_whose_holder_died_is_taken_over_and_said_so()
    {
        string dir = Path.Combine(_root, "killed");
        new CampaignDirectory(dir).CreateLocked(Manifest()).Dispose();
        // What a kill -9 leaves: the owner note (the operating system released the lock itself).
        File.WriteAllText(Path.Combine(dir, DirectoryLock.OwnerName), "pid 999999 on elsewhere, since 2026-01-01T00:00:00Z (resume)\n");
        using DirectoryLock held = new CampaignDirectory(dir).OpenLocked("resume");
        Assert.StartsWith("pid 999999", held.Recovered);
    }

    [Fact]
    public void A_campaign_of_an_earlier_version_without_the_marker_is_resumed_and_marked()
    {
        string dir = Path.Combine(_root, "old");
        new CampaignDirectory(dir).CreateLocked(Manifest()).Dispose();
        File.Delete(ToolDirectory.MarkerPath(dir));
        new CampaignDirectory(dir).OpenLocked("resume").Dispose();
        Assert.Equal(CampaignDirectory.Kind, ToolDirectory.KindOf(dir));
    }
}
