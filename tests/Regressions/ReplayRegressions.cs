using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Reporting.Text;

namespace Fuzz.Regressions;

/// <summary>
/// Every scenario file in tests/Regressions is one test case: it is replayed under its kernel and
/// under every 'expect ... under KERNEL', and each stated verdict must hold. A failure prints the
/// per-agent table and the command that replays the file.
/// </summary>
public class ReplayRegressions
{
    public static IEnumerable<object[]> Files() => RegressionFiles.Names().Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Files))]
    public void Replays_to_its_stated_verdicts(string file)
    {
        string path = Path.Combine(RegressionFiles.Directory, file);
        Scenario scenario = ScenarioParser.Load(path);
        Assert.True(scenario.Expect is not null, $"{file}: a regression file must state 'expect coherent' or 'expect violation ORACLE'");
        IReadOnlyList<ExpectationCheck> checks = ExpectationCheck.All(scenario, RegressionFiles.Directory);
        foreach (ExpectationCheck check in checks)
        {
            if (check.Met) continue;
            string report = string.Join("\n", RunReport.Lines(check.Result));
            Assert.Fail($"{file}: {check.Describe()}\n{report}\nreplay: dotnet run --project src/Fuzz -- replay tests/Regressions/{file}" +
                (check.Kernel == scenario.Kernel ? "" : $" --kernel {check.Kernel}"));
        }
    }
}
