using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Tests.Model.Iommu;

/// <summary>What the IOMMU tests share: the scenarios they race, and reading their traces.</summary>
internal static class IommuScenarios
{
    /// <summary>Seed (b)'s machine: A maps the zero page, CPU0 and CPU1 store to it (CPU0's store is a CoW fault), the device reads it.</summary>
    public static string Cow(string schedule) => $"""
        cpus 2
        pages 1
        device mm0
        page mm0 A zero
        cpu 0 mm0: store A 1
        cpu 1 mm0: store A 2
        device: dma_read A
        schedule: {schedule}
        """;

    /// <summary>The device reads A while CPU0 zaps it (MADV_DONTNEED) and frees its page.</summary>
    public static string ReadDuringZap(string schedule) => $"""
        cpus 1
        pages 1
        device mm0
        page mm0 A 5 rw
        cpu 0 mm0: madvise_dontneed A
        device: dma_read A
        schedule: {schedule}
        """;

    /// <summary>Three mapped pages A-C; CPU0 zaps <paramref name="range"/>, the device reads C.</summary>
    public static string ZapOfThree(string range, string schedule) => $"""
        cpus 1
        pages 3
        device mm0
        page mm0 A 1 rw
        page mm0 B 2 rw
        page mm0 C 3 rw
        cpu 0 mm0: madvise_dontneed {range}
        device: dma_read C
        schedule: {schedule}
        """;

    public static TraceEvent[] Events(ReplayResult r) => r.Sim.Trace.Events.ToArray();

    /// <summary>Index of the first event matching <paramref name="match"/> at or after <paramref name="from"/>, or -1.</summary>
    public static int IndexOf(TraceEvent[] events, Func<TraceEvent, bool> match, int from = 0)
    {
        for (int i = Math.Max(0, from); i < events.Length; i++)
        {
            if (match(events[i])) return i;
        }
        return -1;
    }

    /// <summary>Execute actions one by one, each of which must be enabled at its turn (the schedule is followed by construction).</summary>
    public static void Take(Simulator sim, params SchedAction[] actions)
    {
        foreach (SchedAction a in actions)
        {
            Assert.True(sim.IsEnabled(a), $"{a} is not enabled at tick {sim.Tick}");
            sim.Execute(a);
        }
    }
}
