using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Formats;

/// <summary>
/// A few hundred seeded mutants of the shipped scenario and kernel files: each parses, or is refused
/// with its file and line, never anything else (scripts/mutate runs tens of thousands).
/// </summary>
public class MutationTests
{
    [Fact]
    public void Mutated_regression_scenarios_parse_or_name_their_file_and_line()
    {
        var files = MutationCorpus.Read(MutationCorpus.Shipped("tests/Regressions", "*.scenario"));
        // Parsed, then replayed under its kernels as 'fuzz replay' does (a parsed scenario must run).
        var (accepted, refused) = MutationCorpus.Check(files, 150, seed: 1000, (text, path) => ExpectationCheck.All(ScenarioParser.Read(text, path)));
        // Not vacuous: mutants of both kinds.
        Assert.True(accepted > 10 && refused > 10, $"{accepted} accepted, {refused} refused");
    }

    [Fact]
    public void Mutated_kernel_files_parse_or_name_their_file_and_line()
    {
        var files = MutationCorpus.Read(MutationCorpus.Shipped("kernels", "*.kernel").Concat(MutationCorpus.Shipped("tests/Regressions", "*.kernel")));
        // Parsed, then the shipped regressions replayed under it, as 'fuzz replay --kernel' does (a parsed kernel must run).
        var scenarios = MutationCorpus.Shipped("tests/Regressions", "*.scenario").Select(ScenarioFile.Load).ToList();
        var (accepted, refused) = MutationCorpus.Check(files, 150, seed: 2000, (text, path) =>
        {
            var kernel = KernelFile.Parse(text, path);
            foreach (ScenarioFile f in scenarios) f.Replay(f.Scenario, kernel);
        });
        Assert.True(accepted > 10 && refused > 10, $"{accepted} accepted, {refused} refused");
    }
}
