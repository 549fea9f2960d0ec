using Fuzz.Formats.Kernels;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Model.Variants;
using Fuzz.Reporting.Text;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Properties;

/// <summary>
/// What the property tests share: the kernels, the regression folder, and turning a failure into a
/// saved regression file plus a message that says how to replay it.
/// </summary>
internal static class Harness
{
    public static string RepoRoot => KernelLoader.RepoRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Fuzz.sln not found above the test binaries");

    public static string RegressionsDir => Path.Combine(RepoRoot, "tests", "Regressions");

    public static KernelDefinition Kernel(string name) => KernelLoader.Load(name, Path.Combine(RepoRoot, "kernels"));

    private static readonly Lazy<KernelDefinition> LazyFixed = new(() => Kernel(KernelDefinition.FixedName));

    /// <summary>The fixed kernel the properties hold to: kernels/v4.14-fixed.kernel.</summary>
    public static KernelDefinition Fixed => LazyFixed.Value;

    /// <summary>Fuzz a kernel from kernels/ for a fixed number of scenarios (deterministic for a seed).</summary>
    public static FuzzRunner Fuzz(string kernel, long budget, ulong seed, GeneratorSettings? settings = null, OracleId? oracle = null)
    {
        var runner = new FuzzRunner(new FuzzOptions
        {
            Kernel = Kernel(kernel),
            KernelRef = kernel,
            Settings = settings ?? GeneratorSettings.Default,
            Seed = seed,
            MaxScenarios = budget,
            Oracle = oracle,
        });
        runner.Run();
        return runner;
    }

    private static readonly object Gate = new();
    private static readonly Dictionary<string, string> Saved = new();

    /// <summary>
    /// A scenario broke the fixed kernel: shrink it (once per oracle per test run), save it to
    /// tests/Regressions, and fail with the violation, the table and the replay command.
    /// <paramref name="seed"/> is the scenario seed the property's generator drew (FsCheck may have
    /// shrunk the scenario since): with the kernel and <paramref name="settingsFile"/> (null: the
    /// default space) 'fuzz run --scenario-seed' regenerates the unshrunk scenario.
    /// </summary>
    public static Exception Failure(string test, ulong seed, Scenario scenario, ReplayResult r, string? settingsFile)
    {
        OracleId oracle = r.Sim.Violations[0].Oracle;
        string key = test + "/" + OracleNames.Name(oracle);
        string regenerate = $"dotnet run --project src/Fuzz -c Release -- run --kernel {scenario.Kernel} --scenario-seed {Seeds.Format(seed)}" +
            (settingsFile is null ? "" : $" --settings {settingsFile}");
        string where;
        lock (Gate)
        {
            if (!Saved.TryGetValue(key, out where!))
            {
                KernelDefinition kernel = r.Sim.Kernel;
                var shrinker = new Fuzz.Search.Shrinking.Shrinker(kernel, oracle);
                Scenario shrunk = shrinker.Shrink(scenario);
                var finding = new Finding(oracle, seed, scenario, shrunk, 0, TimeSpan.Zero, TimeSpan.Zero, shrinker.Attempts);
                RegressionStore.Saved saved = RegressionStore.Save(RegressionsDir, finding, kernel, "dotnet test: " + test,
                    DateOnly.FromDateTime(DateTime.UtcNow), regenerate: regenerate);
                where = Path.GetRelativePath(RepoRoot, saved.Path);
                Saved[key] = where;
            }
        }
        string text = ViolationText.Describe(r.Sim, r.Sim.Violations[0]);
        return new Xunit.Sdk.XunitException(
            $"{text}\nsaved: {where}\nreplay: dotnet run --project src/Fuzz -c Release -- replay {where}\n" +
            $"regenerate (the unshrunk scenario): {regenerate}\n" +
            string.Join("\n", TableRenderer.Render(r.Sim, showLocal: false)));
    }
}
