using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Properties;

/// <summary>
/// Every file in kernels/ states its verdict ("expect coherent", or the oracle it violates), and
/// each is held to it here as its own test case, within a small fuzz budget from a pinned seed
/// (so a run either finds the race or not, the same on every machine): half the scenarios with the
/// default mix, half with every kernel thread and the device. A race too rare for that budget is
/// pinned instead by the regression scenario its file names ("pinned-by"), which must replay to
/// the violation under this kernel with its schedule followed.
/// </summary>
public class KernelVerdictProperties
{
    /// <summary>Scenarios a coherent kernel must survive, and within which a stated violation must be found.</summary>
    private const long CoherentBudget = 20_000;
    private const long ViolationBudget = 100_000;
    private const ulong PinnedSeed = 0x6b65726e656c; // "kernel"

    public static IEnumerable<object[]> Kernels() =>
        Directory.EnumerateFiles(Path.Combine(Harness.RepoRoot, "kernels"), "*.kernel", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Harness.RepoRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Each_kernel_file_holds_to_its_stated_verdict(string file)
    {
        string path = Path.Combine(Harness.RepoRoot, file);
        KernelDefinition kernel = KernelFile.Load(path);
        Assert.True(kernel.Expect is not null, $"{file} states no verdict: add 'expect coherent' or 'expect violation ORACLE'");
        Expectation expect = kernel.Expect!.Value;
        if (kernel.PinnedBy is { } pinned)
        {
            Assert.False(expect.Coherent, $"{file}: 'pinned-by' goes with 'expect violation'");
            string scenarioPath = Path.Combine(Harness.RepoRoot, pinned);
            Assert.True(File.Exists(scenarioPath), $"{file}: pinned-by {pinned}, which does not exist");
            Scenario s = ScenarioParser.Load(scenarioPath);
            ReplayResult r = Replayer.Run(s with { Kernel = path }, kernel);
            Assert.True(r.FollowedSchedule, $"{file}: {pinned} no longer fits this kernel ({r.Skipped} choice(s) skipped, the first at {r.FirstSkipped + 1})");
            Assert.True(r.Violates(expect.Oracle), $"{file}: {pinned} does not violate {OracleNames.Name(expect.Oracle)} under this kernel");
            return;
        }
        var runner = new FuzzRunner(new FuzzOptions
        {
            Kernel = kernel,
            KernelRef = path,
            Settings = GeneratorSettings.Default,
            Focus = KernelThreadScenarios.Settings,
            Seed = PinnedSeed,
            MaxScenarios = expect.Coherent ? CoherentBudget : ViolationBudget,
            MaxFailures = 1,
            Oracle = expect.Coherent ? null : expect.Oracle,
            ShrinkBackoff = false,
        });
        runner.Run();
        if (expect.Coherent)
        {
            Assert.True(runner.Findings.Count == 0, runner.Findings.Count == 0 ? "" :
                $"{file} expects coherence but {runner.Findings[0].Oracle} was violated:\n{ScenarioWriter.Write(runner.Findings[0].Shrunk)}");
        }
        else
        {
            Assert.True(runner.Findings.Count == 1,
                $"{file}: no {OracleNames.Name(expect.Oracle)} violation in {ViolationBudget:N0} scenarios from seed {Seeds.Format(PinnedSeed)}; " +
                "a race this rare needs 'pinned-by' a regression scenario");
        }
    }
}
