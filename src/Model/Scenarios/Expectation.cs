using Fuzz.Model.Oracles;

namespace Fuzz.Model.Scenarios;

/// <summary>What a regression scenario is expected to do under its kernel: stay coherent, or break one oracle.</summary>
public readonly record struct Expectation(bool Coherent, OracleId Oracle)
{
    public static Expectation CoherentRun => new(true, default);

    public static Expectation Violation(OracleId oracle) => new(false, oracle);

    public override string ToString() => Coherent ? "coherent" : "violation " + OracleNames.Name(Oracle);
}
