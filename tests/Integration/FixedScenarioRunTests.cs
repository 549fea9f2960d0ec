using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Integration;

/// <summary>
/// 'fuzz run --scenario FILE' fuzzes the schedules of the file's scenario under its kernel: a
/// finding is shrunk, printed and saved like any other, and its 'regenerate:' line, run as
/// printed, runs the same schedule again and finds the same failure.
/// </summary>
public sealed class FixedScenarioRunTests : IDisposable
{
    private const string SeedB = "tests/Regressions/seed-b-cow-deferred-invalidate.scenario";
    private readonly TempDirectory _dir = new("fuzz-fixed");

    public void Dispose() => _dir.Dispose();

    /// <summary>The arguments of a printed 'dotnet run --project src/Fuzz -c Release -- ARGS' line.</summary>
    private static string[] Arguments(string output, string prefix)
    {
        string line = output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        const string Run = "dotnet run --project src/Fuzz -c Release -- ";
        Assert.Contains(Run, line);
        return line[(line.IndexOf(Run, StringComparison.Ordinal) + Run.Length)..].Split(' ');
    }

    [Fact]
    public void A_race_found_in_the_schedules_of_a_scenario_file_is_saved_and_its_regenerate_line_runs_that_schedule_again()
    {
        var (exit, output, err) = FuzzProcess.Run("run", "--scenario", SeedB, "--scenarios", "20000", "--seed", "7", "--save", _dir);
        Assert.True(exit == 1, $"exit {exit}: {output}{err}");
        Assert.Contains($"  scenario {SeedB} (3 operations), a fresh schedule each run", output);
        Assert.Matches(@"FOUND linearizability after [\d,]+ schedules", output);
        string[] again = Arguments(output, "regenerate: ");
        Assert.Equal(["run", "--scenario", SeedB, "--kernel", "seed-b", "--schedule-seed"], again[..^1]);

        string saved = Directory.GetFiles(_dir, "*.scenario").Single();
        string text = File.ReadAllText(saved);
        Assert.Contains($"# Schedule seed {again[^1]}; regenerate: ", text);
        Assert.Contains("kernel seed-b\nexpect violation linearizability\n", text);

        var (exit2, output2, err2) = FuzzProcess.Run([.. again, "--no-save"]);
        Assert.True(exit2 == 1, $"exit {exit2}: {output2}{err2}");
        Assert.Contains($"fuzz run: {SeedB} under one schedule, seed {again[^1]}, kernel seed-b", output2);
        Assert.Contains("FOUND linearizability after 1 schedules", output2);
        Assert.Equal(string.Join(' ', again), string.Join(' ', Arguments(output2, "regenerate: ")));
    }

    [Fact]
    public void The_fixed_kernel_survives_the_schedules_of_the_race_b_scenario()
    {
        var (exit, output, err) = FuzzProcess.Run("run", "--scenario", SeedB, "--kernel", "v4.14-fixed", "--scenarios", "3000", "--seed", "7", "--no-save");
        Assert.True(exit == 0, $"exit {exit}: {output}{err}");
        Assert.Contains("verdict: no violation in 3,000 schedules", output);
    }
}
