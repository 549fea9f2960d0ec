using Fuzz.Campaigns;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Scenarios;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Integration;

/// <summary>
/// kill -9 in the middle of a campaign loses no finished counterexample and leaves no corrupt file;
/// the lock it held is free again (the operating system released it) and --resume says whose it
/// recovered; while a campaign runs, a second writer is refused.
/// </summary>
public sealed class CampaignKillTests : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-kill");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Sigkill_mid_run_loses_nothing_and_resume_recovers_the_stale_lock_and_continues()
    {
        var dir = new CampaignDirectory(_dir);
        int killed;
        using (FuzzProcess p = FuzzProcess.Start("campaign", "--kernel", "seed-b", "--minutes", "5", "--workers", "2", "--seed", "7", "--dir", _dir))
        {
            killed = p.Id;
            // Wait until something was found and every worker has checkpointed; meanwhile a second writer is refused.
            p.WaitFor(() => File.Exists(dir.IndexPath) && dir.LoadIndex().Count > 0
                && File.Exists(Path.Combine(dir.WorkersDir, WorkerCheckpoint.FileName(0)))
                && File.Exists(Path.Combine(dir.WorkersDir, WorkerCheckpoint.FileName(1))), "found and checkpointed");
            SecondWritersAreRefused(killed);
            Thread.Sleep(1300);
            p.Kill();
        }

        // Nothing corrupt: every file parses, every finding replays to its verdicts.
        var before = AllIntact(dir);
        Assert.NotEmpty(before.Findings);
        Assert.True(before.Done > 0);
        Assert.True(File.Exists(Path.Combine(_dir, DirectoryLock.OwnerName)), "a killed holder leaves its owner note behind");

        var (exit, output, _) = FuzzProcess.Run("campaign", "--resume", _dir, "--seconds", "4");
        Assert.Equal(1, exit);
        Assert.Contains($"recovered the lock of pid {killed} ", output);
        var after = AllIntact(dir);
        foreach (var (file, text) in before.Findings) Assert.Equal(text, after.Findings[file]);
        Assert.True(after.Done > before.Done, $"resume ran no scenarios ({before.Done} then {after.Done})");
        Assert.True(File.Exists(dir.ReportPath));
        Assert.Empty(Directory.EnumerateFiles(_dir, ".*.tmp", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(_dir, DirectoryLock.OwnerName)), "a clean end releases the lock and its note");
    }

    /// <summary>A resume, a second campaign and a merge into the running campaign's directory are each refused, and change nothing.</summary>
    private void SecondWritersAreRefused(int holder)
    {
        string manifest = File.ReadAllText(Path.Combine(_dir, "campaign.txt"));
        foreach (string[] args in new[]
        {
            new[] { "campaign", "--resume", _dir.Path, "--seconds", "2" },
            new[] { "campaign", "--kernel", "seed-b", "--seconds", "2", "--dir", _dir.Path },
            new[] { "merge", _dir.Path, _dir.Path },
        })
        {
            var (exit, _, err) = FuzzProcess.Run(args);
            Assert.Equal(2, exit);
            Assert.Single(err.Trim().Split('\n'), l => l.StartsWith("fuzz", StringComparison.Ordinal));
            Assert.DoesNotContain("   at ", err);
            if (args[0] == "campaign" && args[1] == "--resume") Assert.Contains($"is in use: pid {holder} ", err);
        }
        Assert.Equal(manifest, File.ReadAllText(Path.Combine(_dir, "campaign.txt")));
    }

    private static (Dictionary<string, string> Findings, long Done) AllIntact(CampaignDirectory dir)
    {
        dir.LoadManifest();
        long done = dir.LoadCheckpoints().Sum(c => c.Done);
        CampaignTimeline.Load(dir.TimelinePath);
        var findings = new Dictionary<string, string>();
        List<FindingRecord> index = dir.LoadIndex();
        foreach (string path in Directory.EnumerateFiles(dir.FindingsDir, "*.scenario"))
        {
            Scenario s = ScenarioParser.Load(path);
            Assert.All(ExpectationCheck.All(s, dir.FindingsDir), c => Assert.True(c.Met, $"{path}: {c.Describe()}"));
            Assert.Contains(index, r => r.File == Path.GetFileName(path));
            findings[Path.GetFileName(path)] = File.ReadAllText(path);
        }
        return (findings, done);
    }
}
