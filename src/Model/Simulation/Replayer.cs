using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Trace;

namespace Fuzz.Model.Simulation;

/// <summary>Replays a scenario: its schedule, then the default policy, to the end.</summary>
public static class Replayer
{
    public static ReplayResult Run(Scenario scenario, KernelDefinition kernel, SimOptions? options = null, TraceLog? reuse = null)
    {
        var sim = new Simulator(kernel, scenario, options, reuse);
        var script = new ScriptStrategy(scenario.Schedule);
        var recording = new RecordingStrategy(script, scenario.Schedule.Count + 64);
        sim.Run(recording);
        return new ReplayResult(sim, recording.Taken, script.Skipped, script.FirstSkipped);
    }
}
