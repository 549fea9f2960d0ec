using Fuzz.Formats.Kernels;
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
