using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
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
    private static bool Ran(Simulator sim, RecipeId recipe, StepId step)
    {
        foreach (TraceEvent e in sim.Trace.Events)
        {
            if (e.Kind == TraceKind.Step && e.Recipe == recipe && e.Step == step) return true;
        }
        return false;
    }

    /// <summary>The tick at which the first of <paramref name="steps"/> ran, or -1.</summary>
    private static int FirstTick(Simulator sim, IReadOnlyList<(RecipeId Recipe, StepId Step)> steps)
    {
        foreach (TraceEvent e in sim.Trace.Events)
        {
            if (e.Kind != TraceKind.Step) continue;
            foreach (var (recipe, step) in steps)
            {
                if (e.Recipe == recipe && e.Step == step) return e.Tick;
            }
        }
        return -1;
    }

    public static IEnumerable<object[]> Files() => RegressionFiles.Names().Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Files))]
    public void Replays_to_its_stated_verdicts(string file)
    {
        string path = Path.Combine(RegressionFiles.Directory, file);
        Scenario scenario = ScenarioParser.Load(path);
        Assert.True(scenario.Expect is not null, $"{file}: a regression file must state 'expect coherent' or 'expect violation ORACLE'");
        IReadOnlyList<ExpectationCheck> checks = ExpectationCheck.All(scenario, RegressionFiles.Directory);
        KernelDefinition own = checks[0].Result.Sim.Kernel;
        foreach (ExpectationCheck check in checks)
        {
            string replay = $"replay: dotnet run --project src/Fuzz -- replay tests/Regressions/{file}" +
                (check.Kernel == scenario.Kernel ? "" : $" --kernel {check.Kernel}");
            string report = string.Join("\n", RunReport.Lines(check.Result));
            // A verdict means something only if the kernel took the schedule as written: exactly, or,
            // for a kernel said to survive the race, up to the point where a step of its fix (one the
            // file's own kernel lacks) has run and changed the course (its later choices may not fit).
            var fix = KernelDiff.StepsOnlyIn(check.Result.Sim.Kernel, own);
            if (!check.Result.FollowedSchedule)
            {
                bool fixedFirst = check.Expected.Coherent && check.Kernel != scenario.Kernel
                    && FirstTick(check.Result.Sim, fix) is int t && t >= 0 && t < check.Result.FirstSkipped;
                SchedAction misfit = scenario.Schedule[check.Result.FirstSkipped];
                if (!fixedFirst)
                    Assert.Fail($"{file}: under {check.Kernel} the schedule no longer fits: choice {check.Result.FirstSkipped + 1} " +
                        $"({ScheduleText.Format(misfit, check.Result.Sim.Layout)}) was not enabled at its turn " +
                        $"({check.Result.Skipped} skipped in all)\n{report}\n{replay}");
            }
            if (!check.Met) Assert.Fail($"{file}: {check.Describe()}\n{report}\n{replay}");
            // A kernel said to survive the race must have run the steps it has and the file's own
            // kernel lacks (the fix): otherwise "coherent" may only mean the race never happened.
            if (check.Expected.Coherent && check.Kernel != scenario.Kernel)
            {
                if (fix.Count > 0 && !fix.Any(f => Ran(check.Result.Sim, f.Recipe, f.Step)))
                    Assert.Fail($"{file}: coherent under {check.Kernel}, but none of the steps that kernel adds ran " +
                        $"({string.Join(", ", fix.Select(f => $"{f.Recipe} {StepCatalog.Name(f.Step)}"))})\n{report}\n{replay}");
            }
        }
    }
}
