namespace Fuzz.Tests.Shared;

/// <summary>The machines of the races the tests keep coming back to, without schedules (each test searches or writes its own).</summary>
public static class ThreadScenarios
{
    /// <summary>Seed (b): A maps the zero page, CPU0 and CPU1 store to it (CPU0's store is a CoW fault), the device reads it.</summary>
    public const string SeedB = """
        cpus 2
        pages 1
        device mm0
        page mm0 A zero
        cpu 0 mm0: store A 1
        cpu 1 mm0: store A 2
        device: dma_read A
        """;

    /// <summary>
    /// v4.14's mapcount reuse: A is shared by two processes; CPU0 zaps it in mm0 while CPU1's store
    /// in mm1 reuses the page in place and the device reads it through mm0.
    /// </summary>
    public const string MapcountReuse = """
        cpus 2
        pages 1
        device mm0
        page mm0 A 1 rw
        page mm1 A shared mm0 A
        cpu 0 mm0: madvise_dontneed A
        cpu 1 mm1: store A 2
        device: dma_read A
        """;
}
