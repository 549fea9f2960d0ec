using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Search.Fuzzing;
using Fuzz.Search.Shrinking;

namespace Fuzz.Search.Verification;

/// <summary>
/// A violation the search found, made a finding like the fuzzer's: the scenario with the shortest
/// schedule as its explicit schedule, replayed by <see cref="Replayer"/> (which must reach the same
/// violation: a search whose counterexample does not replay is a defect and is reported as one),
/// then normalised by the <see cref="Normalizer"/>.
/// </summary>
public sealed record Counterexample(Scenario Found, Scenario Normalized, OracleId Oracle, int Steps, ReplayResult Replay)
{
    public static Counterexample Build(KernelDefinition kernel, Scenario scenario, ExploreResult r, SimOptions? options = null)
    {
        Scenario found = scenario with { Schedule = r.Path.ToArray() };
        ReplayResult replay = Replayer.Run(found, kernel, options);
        OracleId oracle = ReplayedOracle(replay, r.Oracle)
            ?? throw new InvalidOperationException(
                $"the search's counterexample ({OracleNames.Name(r.Oracle)} after {r.Path.Count} actions) does not replay: " +
                (replay.Coherent ? "the replay is coherent" : $"the replay shows {OracleNames.Name(replay.Sim.Violations[0].Oracle)}"));
        Scenario normalized = Normalizer.Canonicalize(found, kernel, oracle, options);
        return new Counterexample(found, normalized, oracle, r.Path.Count, replay);
    }

    /// <summary>
    /// The counterexample of a verify run's best result: built from the path the search kept, or,
    /// when that path does not parse or replay (results written by another version of the tool),
    /// from searching the scenario again to the result's depth under the scope's preemption bound.
    /// Throws InvalidOperationException, naming the schedule, when even that path does not replay.
    /// </summary>
    public static Counterexample Of(KernelDefinition kernel, Scenario scenario, ScenarioResult best, int? preemptions)
    {
        if (Kept(best, scenario) is { } kept)
        {
            try
            {
                return Build(kernel, scenario, kept);
            }
            catch (InvalidOperationException)
            {
            }
        }
        ExploreResult searched = new Explorer(kernel, scenario, new ExploreOptions { MaxDepth = best.Depth, Preemptions = preemptions }).Run();
        try
        {
            return Build(kernel, scenario, searched);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(e.Message + "; schedule: " + string.Join(' ', ScheduleText.FormatAll(searched.Path, scenario.Layout)), e);
        }
    }

    /// <summary>The path a result kept (its schedule text) as the search's result; null when it does not parse or is not as long as the result says.</summary>
    private static ExploreResult? Kept(ScenarioResult best, Scenario scenario)
    {
        var path = new List<SchedAction>();
        foreach (string token in best.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ScheduleText.TryParse(token, scenario.Layout, scenario.Pages, out SchedAction a, out int repeat, out _)) return null;
            for (int i = 0; i < repeat; i++) path.Add(a);
        }
        if (path.Count != best.Depth || path.Count == 0) return null;
        return new ExploreResult { Verdict = ExploreVerdict.Violation, Path = path, Oracle = best.Oracle, Code = best.Code, Depth = best.Depth };
    }

    /// <summary>
    /// The oracle the replay names: the search's, or for the online monitor's "not linearizable" the
    /// checker's reading of the whole history (linearizability, or isolation when the value read can
    /// only have come from the other process).
    /// </summary>
    public static OracleId? ReplayedOracle(ReplayResult replay, OracleId searched)
    {
        if (replay.Violates(searched)) return searched;
        if (searched == OracleId.Linearizability && replay.Sim.Violations.TryGet(OracleId.Isolation, out Violation v) && v.Code == ViolationCode.ValueFromOtherMm)
            return OracleId.Isolation;
        return null;
    }

    /// <summary>The finding to save: original and shrunk are the found and the normalised scenario.</summary>
    public Finding ToFinding(long scenarioIndex, TimeSpan foundAfter) =>
        new(Oracle, (ulong)scenarioIndex, Found, Normalized, scenarioIndex + 1, foundAfter, TimeSpan.Zero, 0);
}
