using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Reporting.Text;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Model.Simulation;

/// <summary>A scenario plus its schedule replays to the same trace, every time, and its recorded schedule reproduces it.</summary>
public class DeterminismTests
{
    private const string Mixed = """
        cpus 3
        pages 2
        device mm0
        page mm0 A 5 rw
        page mm0 B zero
        cpu 0 mm0: store A 1; madvise_dontneed A-B; load B
        cpu 1 mm0: load A; store B 2; fork
        cpu 2 mm1: store A 9; load B
        device: dma_read A; dma_write B 4
        schedule: DEV.ats:A IOMMU.walk:A DEV.complete:A CPU1 CPU0 CPU1.fill:A CPU2 DEV CPU0 CPU0 CPU1 DEV CPU0.evict:A CPU1 CPU0
        """;

    [Fact]
    public void Replaying_twice_yields_identical_traces()
    {
        var a = TestKit.Run(Mixed);
        var b = TestKit.Run(Mixed);
        Assert.Equal(a.Sim.Trace.Events.ToArray(), b.Sim.Trace.Events.ToArray());
        Assert.Equal(a.Taken, b.Taken);
        Assert.Equal(TableRenderer.Render(a.Sim), TableRenderer.Render(b.Sim));
        Assert.Equal(a.Sim.Violations.Items.ToArray(), b.Sim.Violations.Items.ToArray());
    }

    [Fact]
    public void Reset_then_run_again_on_the_same_simulator_reproduces_the_trace()
    {
        Scenario sc = TestKit.Scenario(Mixed);
        var sim = new Simulator(TestKit.Fixed, sc);
        sim.Run(new Fuzz.Model.Scheduling.ScriptStrategy(sc.Schedule));
        TraceEvent[] first = sim.Trace.Events.ToArray();
        sim.Reset();
        sim.Run(new Fuzz.Model.Scheduling.ScriptStrategy(sc.Schedule));
        Assert.Equal(first, sim.Trace.Events.ToArray());
    }

    [Fact]
    public void The_recorded_schedule_replays_to_the_same_trace_without_skipping()
    {
        var first = TestKit.Run(Mixed);
        Scenario recorded = TestKit.Scenario(Mixed) with { Schedule = first.Taken };
        var again = Replayer.Run(recorded, TestKit.Fixed);
        Assert.Equal(0, again.Skipped);
        Assert.Equal(first.Sim.Trace.Events.ToArray(), again.Sim.Trace.Events.ToArray());
    }
}
