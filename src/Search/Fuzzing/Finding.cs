using Fuzz.Formats.Scenarios;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;

namespace Fuzz.Search.Fuzzing;

/// <summary>A failure found by fuzzing: the generated scenario (or fixed scenario and drawn schedule), its seed, and the shrunk, canonical scenario.</summary>
public sealed record Finding(
    OracleId Oracle,
    ulong ScenarioSeed,
    Scenario Original,
    Scenario Shrunk,
    long FoundAfterScenarios,
    TimeSpan FoundAfter,
    TimeSpan ShrinkTime,
    int ShrinkReplays)
{
    /// <summary>What identifies the counterexample: oracle plus the canonical shrunk scenario (its text without comments).</summary>
    public string Key => ScenarioHash.FailureKey(Oracle, Shrunk);

    /// <summary>
    /// Whether <see cref="ScenarioSeed"/> drew only the schedule of a fixed scenario ('fuzz run
    /// --scenario FILE'), not the whole scenario.
    /// </summary>
    public bool SeedDrawsSchedule { get; init; }

    /// <summary>What the seed names, for the lines that print it.</summary>
    public string SeedName => SeedDrawsSchedule ? "Schedule seed" : "Scenario seed";

    /// <summary>What the run counted: schedules of one scenario, or scenarios.</summary>
    public string RunsName => SeedDrawsSchedule ? "schedules" : "scenarios";

    /// <summary>Its critical orderings and what its root cause is made of (<see cref="CauseSignature"/>), when computed.</summary>
    public CauseSignature.Result? Cause { get; init; }

    /// <summary>How long finding the critical orderings took (wall clock; statistics only).</summary>
    public TimeSpan CauseTime { get; init; }

    /// <summary>Ticks the shrunk scenario takes (-1 when not known).</summary>
    public int Steps => Cause?.Steps ?? -1;
}
