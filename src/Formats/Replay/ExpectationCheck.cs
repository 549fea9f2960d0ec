using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;

namespace Fuzz.Formats.Replay;

/// <summary>One stated expectation of a scenario, replayed: which kernel, what was expected, what happened.</summary>
public sealed record ExpectationCheck(string Kernel, Expectation Expected, ReplayResult Result)
{
    public bool Met => Expected.Coherent ? Result.Coherent : Result.Violates(Expected.Oracle);

    public string Describe() => Met
        ? $"expected {Expected} under {Kernel}: as expected"
        : $"expected {Expected} under {Kernel}: NOT MET (got {Got})";

    private string Got => Result.Coherent
        ? "coherent"
        : "violation " + string.Join(", ", Result.ViolatedOracles.Select(OracleNames.Name));

    /// <summary>
    /// Replay a scenario file under its own kernel and under every 'expect ... under' kernel; a kernel
    /// that cannot be loaded is an error at the line naming it.
    /// </summary>
    public static IReadOnlyList<ExpectationCheck> All(ScenarioFile file)
    {
        Scenario scenario = file.Scenario;
        var checks = new List<ExpectationCheck>();
        if (scenario.Expect is { } own)
            checks.Add(new ExpectationCheck(scenario.Kernel, own, file.Replay(scenario, file.Kernel(scenario.Kernel))));
        foreach (KernelExpectation k in scenario.ExpectUnder)
            checks.Add(new ExpectationCheck(k.Kernel, k.Expect, file.Replay(scenario with { Kernel = k.Kernel }, file.Kernel(k.Kernel))));
        return checks;
    }

    /// <summary>Replay the scenario under its own kernel and under every 'expect ... under' kernel.</summary>
    public static IReadOnlyList<ExpectationCheck> All(Scenario scenario, string? scenarioDir)
    {
        var checks = new List<ExpectationCheck>();
        if (scenario.Expect is { } own)
            checks.Add(new ExpectationCheck(scenario.Kernel, own, Replayer.Run(scenario, KernelLoader.Load(scenario.Kernel, scenarioDir))));
        foreach (KernelExpectation k in scenario.ExpectUnder)
        {
            Scenario under = scenario with { Kernel = k.Kernel };
            checks.Add(new ExpectationCheck(k.Kernel, k.Expect, Replayer.Run(under, KernelLoader.Load(k.Kernel, scenarioDir))));
        }
        return checks;
    }
}
