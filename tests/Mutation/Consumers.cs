using Fuzz.Campaigns;
using Fuzz.Campaigns.Report;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Search.Fuzzing;
using Fuzz.Search.Verification;

namespace Fuzz.Mutation;

/// <summary>
/// What the program does with a file of each kind, in-process: parse it, then use it as the
/// commands would (replay a scenario and check its verdicts; fuzz with a kernel or settings; read,
/// report, merge and reopen a campaign). An input error (InputException, FileFormatException) is a
/// correct answer; any other exception is what the run reports.
/// </summary>
internal static class Consumers
{
    public static void Consume(Kind kind, string path, string scratch, int index)
    {
        switch (kind)
        {
            case Kind.Scenario:
                ScenarioFile f = ScenarioFile.Load(path);
                ExpectationCheck.All(f);
                // What a saved finding goes through: written back, read again, the same.
                string text = ScenarioWriter.Write(f.Scenario);
                if (ScenarioWriter.Write(ScenarioParser.Parse(text, path)) != text) throw new InvalidOperationException("a parsed scenario does not write back to itself");
                break;
            case Kind.Kernel:
                KernelDefinition kernel = KernelLoader.LoadFor(path, null, path, 0);
                Fuzz(kernel, GeneratorSettings.Default);
                break;
            case Kind.Settings:
                Fuzz(KernelLoader.Load(KernelDefinition.FixedName, Directory.GetCurrentDirectory()), GeneratorSettings.Load(path));
                break;
            case Kind.Scope:
                // What 'fuzz verify' does first: read the scope and enumerate its smallest scenarios.
                Scope scope = ScopeFile.Load(path);
                foreach (Scenario _ in ScopeEnumerator.Enumerate(scope, KernelDefinition.FixedName).Take(20)) { }
                break;
            default:
                Campaign(path, Path.Combine(scratch, "merged", $"mutant-{index}"));
                break;
        }
    }

    /// <summary>What 'fuzz run' does with a kernel or settings: a few generated scenarios, shrinking any failure.</summary>
    private static void Fuzz(KernelDefinition kernel, GeneratorSettings settings)
    {
        var runner = new FuzzRunner(new FuzzOptions { Kernel = kernel, KernelRef = "mutant", Settings = settings, Seed = 1, MaxScenarios = 40, MaxFailures = 1 });
        runner.Run();
    }

    /// <summary>What report, merge and resume do with a campaign directory, the run itself aside.</summary>
    private static void Campaign(string dir, string mergeInto)
    {
        var d = new CampaignDirectory(dir);
        try
        {
            CampaignManifest m = d.LoadManifest();
            d.LoadKernel(m);
            d.LoadCheckpoints();
            d.LoadIndex();
            CampaignTimeline.Load(d.TimelinePath);
            CampaignReport.Render(d);
            CampaignMerge.Merge(mergeInto, [dir]);
            if (m.MergedFrom.Count == 0)
            {
                using DirectoryLock held = d.OpenLocked("resume");
                var runner = new CampaignRunner(d, d.LoadKernel(m));
                _ = runner.PreviousElapsed;
            }
        }
        finally
        {
            if (Directory.Exists(mergeInto)) Directory.Delete(mergeInto, recursive: true);
        }
    }

    /// <summary>Whether an exception is a correct answer to a bad input.</summary>
    public static bool IsInputError(Exception e) => e is InputException;
}
