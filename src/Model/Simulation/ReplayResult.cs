using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Model.Simulation;

/// <summary>
/// What replaying a scenario produced: the finished simulator (trace, violations), the schedule
/// actually taken, and how many scheduled choices were not enabled at their turn (the first of them
/// by its index in the scenario's schedule, -1 when none was).
/// </summary>
public sealed record ReplayResult(Simulator Sim, IReadOnlyList<SchedAction> Taken, int Skipped, int FirstSkipped = -1)
{
    /// <summary>Whether the kernel took every scheduled choice as written.</summary>
    public bool FollowedSchedule => Skipped == 0;

    public bool Coherent => !Sim.Violations.Any;

    public bool Violates(OracleId oracle) => Sim.Violations.Has(oracle);

    /// <summary>Whether the run did what the scenario says it should (true when it says nothing).</summary>
    public bool MeetsExpectation => Sim.Scenario.Expect is not { } e || (e.Coherent ? Coherent : Violates(e.Oracle));

    public IEnumerable<OracleId> ViolatedOracles
    {
        get
        {
            foreach (OracleId o in Enum.GetValues<OracleId>())
            {
                if (Sim.Violations.Has(o)) yield return o;
            }
        }
    }

    /// <summary>The verdict as the scenario format writes it.</summary>
    public Expectation Verdict => Coherent
        ? Expectation.CoherentRun
        : Expectation.Violation(Sim.Violations[0].Oracle);
}
