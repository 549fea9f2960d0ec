using Fuzz.Campaigns.Report;
using Fuzz.Campaigns;
using Fuzz.Formats.Text;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Campaigns;

/// <summary>
/// The files a campaign writes and reads back (campaign.txt, worker checkpoints, timeline.txt,
/// findings/index.txt) are read strictly: an unknown key, a repeated one or a value out of range is
/// an error naming the file and its line, never silence, a misreading or a crash later on.
/// </summary>
public sealed class CampaignFileTests : IDisposable
{
    private readonly TempDirectory _root = new("fuzz-campaign-files");

    public void Dispose() => _root.Dispose();

    private const string Manifest = "campaign 1\nkernel v4.14\nseed 1\nshard 0/1\nworkers 2\nbudget-seconds 60\nmax-failures 0\noracle any\n";

    private static FileFormatException ManifestError(string text) =>
        Assert.Throws<FileFormatException>(() => CampaignManifest.Parse(text, "campaign.txt"));

    [Theory]
    [InlineData("budget-secnds 60\n", 9, "unknown key 'budget-secnds'")]
    [InlineData("seed 2\n", 9, "'seed' is given twice (first at line 3)")]
    [InlineData("scenarios-per-worker 0\n", 9, "from 1 to")]
    [InlineData("scenarios-per-worker 99999999999999999999\n", 9, "from 1 to")]
    [InlineData("max-failures 99999999999\n", 9, "given twice")]
    public void Campaign_txt_refuses_unknown_repeated_and_out_of_range_keys_at_their_line(string extra, int line, string message)
    {
        var e = ManifestError(Manifest + extra);
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("budget-seconds 60", "budget-seconds -9223372036854775808", "'budget-seconds' takes a whole number from 1 to")]
    [InlineData("workers 2", "workers 2147483647", "'workers' takes a whole number from 1 to 1024")]
    [InlineData("workers 2", "workers 0", "'workers' takes a whole number from 1 to 1024")]
    [InlineData("shard 0/1", "shard 3/2", "shard must be i/n")]
    [InlineData("oracle any", "oracle nonsense", "unknown oracle 'nonsense'")]
    [InlineData("seed 1", "seed xyz", "seed must be hexadecimal")]
    public void Campaign_txt_values_out_of_range_are_errors_at_their_line(string good, string bad, string message)
    {
        string text = Manifest.Replace(good + "\n", bad + "\n");
        int line = text.Split('\n').ToList().IndexOf(bad) + 1;
        var e = ManifestError(text);
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_bad_setting_line_is_reported_at_its_own_line_of_campaign_txt()
    {
        string text = Manifest + "created 2026-01-01T00:00:00Z\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"# note {i}\n")) + "setting MaxOps = 3\nsetting MaxOpz = 3\n";
        var e = ManifestError(text);
        Assert.Equal(16, e.Line);
        Assert.Contains("unknown setting 'MaxOpz'", e.Message);
        Assert.Contains("'MaxOps' is set twice", ManifestError(Manifest + "setting MaxOps = 3\nsetting MaxOps = 4\n").Message);
    }

    [Fact]
    public void A_campaign_txt_with_cr_only_line_ends_reads_as_its_lines()
    {
        CampaignManifest m = CampaignManifest.Parse(Manifest.Replace('\n', '\r'), "campaign.txt");
        Assert.Equal(2, m.Workers);
        Assert.Equal(60, m.BudgetSeconds);
    }

    [Theory]
    [InlineData("sample 1 2 3 4 5 99999999999999999999\n", "six whole numbers")]
    [InlineData("sample 1 2 3 4 5 -1\n", "six whole numbers")]
    [InlineData("sample 9223372036854775807 2 3 4 5 6\n", "six whole numbers")]
    [InlineData("sample 10 2 3 4 5 6\nsample 5 2 3 4 5 6\n", "time order")]
    [InlineData("samples 1 2 3 4 5 6\n", "unknown key 'samples'")]
    public void Timeline_samples_out_of_range_are_errors_at_their_line(string body, string message)
    {
        var e = Assert.Throws<FileFormatException>(() => CampaignTimeline.Parse("timeline 1\n" + body, "timeline.txt"));
        Assert.Equal(1 + body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("index 0\ndone 5\nelapsed 9\n", 4, "unknown key 'elapsed'")]
    [InlineData("index 0\ndone -5\n", 3, "'done' takes a whole number from 0")]
    [InlineData("index 0\ndone 5\nops 1 2 -3\n", 4, "'-3' is not a whole number from 0")]
    [InlineData("index 0\ndone 5\ndone 6\n", 4, "given twice")]
    public void Worker_checkpoints_refuse_unknown_keys_and_bad_counts_at_their_line(string body, int line, string message)
    {
        var e = Assert.Throws<FileFormatException>(() => WorkerCheckpoint.Parse("worker 1\n" + body, "worker-0.txt"));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_findings_index_refuses_unknown_keys_names_outside_findings_and_repeats()
    {
        var dir = new CampaignDirectory(Path.Combine(_root, "c"));
        dir.CreateLocked(new CampaignManifest { Kernel = "v4.14", Seed = 1, Workers = 1, ScenariosPerWorker = 1 }).Dispose();
        File.WriteAllText(Path.Combine(dir.FindingsDir, "x.scenario"), "scenario 1\nexpect coherent\ncpu 0 mm0: load A\n");
        var r = new FindingRecord("x.scenario", Fuzz.Model.Oracles.OracleId.Linearizability, 0, 7, 10, 20, 30, 3, 1);
        string good = r.Write();
        File.WriteAllText(dir.IndexPath, "findings 1\n" + good + "\n");
        Assert.Equal(r, Assert.Single(dir.LoadIndex()));
        void Index(string body) => File.WriteAllText(dir.IndexPath, "findings 1\n" + body);

        Index(good + " colour red\n");
        Assert.Contains("unknown key 'colour'", Assert.Throws<FileFormatException>(dir.LoadIndex).Message);
        Index(good.Replace(r.File, "../../campaign.txt") + "\n");
        Assert.Contains("is not the name of a .scenario file in findings/", Assert.Throws<FileFormatException>(dir.LoadIndex).Message);
        Index(good + "\n" + good + "\n");
        var e = Assert.Throws<FileFormatException>(dir.LoadIndex);
        Assert.Equal(3, e.Line);
        Index(good.Replace("after-ms", "after-ms 1 after-ms") + "\n");
        Assert.Contains("given twice", Assert.Throws<FileFormatException>(dir.LoadIndex).Message);
    }

    [Fact]
    public void A_finding_whose_shared_page_lost_its_source_fails_report_and_merge_with_its_file_and_line()
    {
        var (dir, _) = CampaignTests.Run(_root, "shared", new Shard(0, 2), 200, workers: 1);
        var (other, _) = CampaignTests.Run(_root, "shared-1", new Shard(1, 2), 200, workers: 1);
        string bad = Path.Combine(dir.FindingsDir, "hand.scenario");
        File.WriteAllText(bad, "scenario 1\nkernel seed-b.kernel\nexpect violation linearizability\ncpus 2\npages 1\npage mm1 A shared mm0 A\ncpu 0 mm0: load A\n");
        var e = Assert.Throws<FileFormatException>(() => CampaignReport.Render(dir));
        Assert.Equal(bad, e.File);
        Assert.Equal(6, e.Line);
        Assert.Contains("which no 'page mm0 A VALUE' or 'page mm0 A zero' line maps", e.Message);
        Assert.Throws<FileFormatException>(() => CampaignMerge.Merge(Path.Combine(_root, "merged"), [dir.Root, other.Root]));
        Assert.False(Directory.Exists(Path.Combine(_root, "merged")));
    }
}
