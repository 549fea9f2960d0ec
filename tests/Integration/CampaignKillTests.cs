using System.Diagnostics;
using Fuzz.Campaigns;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Integration;

/// <summary>
/// kill -9 in the middle of a campaign loses no finished counterexample and leaves no corrupt file;
/// --resume continues it. Runs the real 'fuzz' program (built with the solution) in a child process.
/// </summary>
public sealed class CampaignKillTests : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-kill");

    public void Dispose() => _dir.Dispose();

    private static string RepoRoot => KernelLoader.RepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Fuzz.sln not found");

    /// <summary>The fuzz program of the same build configuration as these tests.</summary>
    private static string FuzzDll
    {
        get
        {
            string config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            string dll = Path.Combine(RepoRoot, "src", "Fuzz", "bin", config, "net10.0", "fuzz.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not built: build Fuzz.sln first");
        }
    }

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(FuzzDll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    [Fact]
    public void Sigkill_mid_run_loses_nothing_and_resume_continues()
    {
        var dir = new CampaignDirectory(_dir);
        using (Process p = Start("campaign", "--kernel", "seed-b", "--minutes", "5", "--workers", "2", "--seed", "7", "--dir", _dir))
        {
            // Wait until something was found and every worker has checkpointed, then kill -9.
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(90)
                && !(File.Exists(dir.IndexPath) && dir.LoadIndex().Count > 0
                    && File.Exists(Path.Combine(dir.WorkersDir, WorkerCheckpoint.FileName(0)))
                    && File.Exists(Path.Combine(dir.WorkersDir, WorkerCheckpoint.FileName(1)))))
            {
                Thread.Sleep(100);
            }
            Thread.Sleep(1300);
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }

        // Nothing corrupt: every file parses, every finding replays to its verdicts.
        var before = AllIntact(dir);
        Assert.NotEmpty(before.Findings);
        Assert.True(before.Done > 0);

        using (Process p = Start("campaign", "--resume", _dir, "--seconds", "4"))
        {
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(120)), "the resumed campaign did not stop");
            Assert.Equal(1, p.ExitCode);
        }
        var after = AllIntact(dir);
        foreach (var (file, text) in before.Findings) Assert.Equal(text, after.Findings[file]);
        Assert.True(after.Done > before.Done, $"resume ran no scenarios ({before.Done} then {after.Done})");
        Assert.True(File.Exists(dir.ReportPath));
        Assert.Empty(Directory.EnumerateFiles(_dir, ".*.tmp", SearchOption.AllDirectories));
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
