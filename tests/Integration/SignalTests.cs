using Fuzz.Campaigns;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Integration;

/// <summary>SIGTERM, what a scheduler's stop sends, is Ctrl-C: the command stops cleanly and prints its summary.</summary>
public sealed class SignalTests : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-signal");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Sigterm_stops_fuzz_run_with_its_summary()
    {
        using FuzzProcess p = FuzzProcess.Start("run", "--seconds", "600", "--no-save", "--seed", "1");
        p.WaitFor(() => p.Out.Contains("rerun with --seed"), "started");
        Thread.Sleep(1500);
        p.Terminate();
        var (exit, output, err) = p.Wait(TimeSpan.FromSeconds(60));
        Assert.Equal(0, exit);
        Assert.Contains("SIGTERM: stopping after the current scenario", err);
        Assert.Contains("stopped before the budget; everything found is saved.", output);
        Assert.Contains("verdict: no violation in ", output);
    }

    [Fact]
    public void Sigterm_stops_a_campaign_with_its_checkpoints_and_report()
    {
        using FuzzProcess p = FuzzProcess.Start("campaign", "--seconds", "600", "--workers", "1", "--seed", "2", "--dir", _dir);
        var dir = new CampaignDirectory(_dir);
        p.WaitFor(() => File.Exists(dir.ManifestPath) && p.Out.Contains("budget:"), "started");
        Thread.Sleep(1500);
        p.Terminate();
        var (exit, output, _) = p.Wait(TimeSpan.FromSeconds(60));
        Assert.Equal(0, exit);
        Assert.Contains("stopped; everything found is saved.", output);
        Assert.True(File.Exists(dir.ReportPath));
        Assert.True(dir.LoadCheckpoints().Single().Done > 0);
    }
}
