using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Model.Simulation;

/// <summary>Runs alone: no other test thread may trigger a GC in the middle of the measurement.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public class AllocationMeasurement;

/// <summary>
/// The simulated step allocates nothing: state lives in preallocated arrays of small structs. The
/// test runs alone and inside a no-GC region, because a collection triggered elsewhere retires this
/// thread's allocation buffer and shows up in its allocated-bytes counter.
/// </summary>
[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    private const string Busy = """
        cpus 3
        pages 3
        device mm0
        page mm0 A 5 rw
        page mm0 B zero
        page mm0 C 5 ro
        cpu 0 mm0: store A 1; madvise_dontneed A-C; load B; store C 2; fork; store A 3
        cpu 1 mm0: load A; store B 4; madvise_dontneed B; odirect_read B 5; load C
        cpu 2 mm1: store A 6; load B; store C 8
        device: dma_read A; dma_write B 9; dma_read C; dma_write A 10
        ksmd: ksm_merge mm0 A mm0 C; ksm_merge mm1 A mm0 A
        kswapd: swap_out mm0 B; swap_out mm0 A
        kcompactd: migrate mm0 C; migrate mm1 B
        schedule:
        """;

    [Fact]
    public void Ten_thousand_warm_steps_allocate_zero_bytes()
    {
        var sim = new Simulator(TestKit.Fixed, TestKit.Scenario(Busy));
        Span<SchedAction> enabled = new SchedAction[sim.MaxActions];
        // Warm up on exactly the steps that are then measured, so that every code path they take
        // has been compiled and every static initialised before the measurement starts.
        RunSteps(sim, new RandomStrategy(seed: 7, hardwarePercent: 20), enabled, 10_000);
        sim.Reset();
        var strategy = new RandomStrategy(seed: 7, hardwarePercent: 20);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        bool noGc = GC.TryStartNoGCRegion(64 * 1024 * 1024);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int steps = RunSteps(sim, strategy, enabled, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (noGc && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();

        Assert.Equal(10_000, steps);
        Assert.Equal(0, allocated);
    }

    /// <summary>Step the simulator (resetting it whenever a run ends) until <paramref name="count"/> steps ran.</summary>
    private static int RunSteps(Simulator sim, IScheduleStrategy strategy, Span<SchedAction> enabled, int count)
    {
        int steps = 0;
        while (steps < count)
        {
            int n = sim.CollectEnabled(enabled, out int agents);
            if (agents == 0 || sim.Tick >= sim.Options.MaxTicks)
            {
                sim.Reset();
                continue;
            }
            sim.Execute(enabled[strategy.Choose(enabled[..n], agents)]);
            steps++;
        }
        return steps;
    }
}
