using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Kernel.TraceFacts;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Kernel;

/// <summary>
/// Swap-in while the read is in flight: read_swap_cache_async() / swap_readpage() leave the page in
/// the swap cache locked and !PageUptodate until end_swap_bio_read(); do_swap_page()'s
/// lock_page_or_retry() then drops mmap_sem and returns VM_FAULT_RETRY for a user fault
/// (mm/memory.c:2924, mm/filemap.c:1197-1227, arch/x86/mm/fault.c:1463-1469), while the IOMMU
/// driver's fault, without FAULT_FLAG_ALLOW_RETRY, sleeps on the page lock under mmap_sem.
/// </summary>
public class SwapInIoTests
{
    // CPU0's load faults on a swapped page and starts the read; CPU1's fork needs mmap_sem for write.
    private const string ForkDuringRead = """
        cpus 2
        pages 1
        page mm0 A swapped 5
        cpu 0 mm0: load A
        cpu 1 mm0: fork
        schedule: CPU0*8 CPU1*3 disk*3 CPU0*2
        """;

    [Fact]
    public void A_user_fault_drops_mmap_sem_while_the_read_is_in_flight_and_is_retried()
    {
        var r = TestKit.Run(ForkDuringRead);
        Coherent(r);
        // The read was started and the page was locked (by the I/O) when do_swap_page() tried it.
        Assert.True(Assert.Single(Ran(r, StepId.page_was_allocated, "CPU0")).Result);
        Assert.False(Ran(r, StepId.trylock_page, "CPU0", RecipeId.do_swap_page)[0].Result);
        Assert.True(Assert.Single(Ran(r, StepId.FAULT_FLAG_ALLOW_RETRY, "CPU0")).Result);
        // __lock_page_or_retry(): up_read(mmap_sem), so fork's down_write gets in before the read ends.
        int dropped = Tick(r, StepId.up_read_mmap_sem, "CPU0");
        int forked = Tick(r, StepId.down_write_mmap_sem, "CPU1");
        int readDone = Tick(r, StepId.unlock_page, "disk");
        Assert.True(dropped < forked && forked < readDone);
        Assert.True(Tick(r, StepId.wait_on_page_locked, "CPU0") > readDone);
        // VM_FAULT_RETRY: the retry runs without FAULT_FLAG_ALLOW_RETRY and finds the page cached.
        Assert.Single(Ran(r, StepId.fault_flag_tried, "CPU0"));
        Assert.Equal([false, true], Ran(r, StepId.lookup_swap_cache, "CPU0").Select(e => e.Result));
        Assert.Equal(5, Returned(r, "CPU0"));
    }

    // The device's DMA faults on a swapped page; the PRI worker handles it; CPU0 forks meanwhile.
    private const string PriFaultDuringRead = """
        cpus 1
        pages 1
        device mm0
        page mm0 A swapped 5
        device: dma_read A
        cpu 0 mm0: fork
        schedule: DEV*2 IOMMU.walk:A DEV*2 kworker*6 disk*3 kworker CPU0
        """;

    [Fact]
    public void The_pri_workers_fault_has_no_allow_retry_and_sleeps_on_the_page_lock_holding_mmap_sem()
    {
        var r = TestKit.Run(PriFaultDuringRead);
        Coherent(r);
        Assert.False(Assert.Single(Ran(r, StepId.FAULT_FLAG_ALLOW_RETRY, "kworker")).Result);
        Assert.Empty(Ran(r, StepId.wait_on_page_locked));
        // __lock_page(): the worker takes the page lock once the read ends, still holding mmap_sem.
        int readDone = Tick(r, StepId.unlock_page, "disk");
        Assert.True(Tick(r, StepId.lock_page, "kworker") > readDone);
        Assert.True(Tick(r, StepId.up_read_mmap_sem, "kworker") > Tick(r, StepId.lock_page, "kworker"));
        Assert.True(Tick(r, StepId.down_write_mmap_sem, "CPU0") > Tick(r, StepId.up_read_mmap_sem, "kworker"));
        Assert.Equal(5, Returned(r, "DEV"));
    }

    [Fact]
    public void While_the_worker_waits_for_the_read_fork_cannot_take_mmap_sem()
    {
        // Fork's down_write is scheduled before the read ends: not enabled, the choice is skipped.
        // Choices 0-4 are the device's translation and PRI request, 5-10 the worker's fault up to the
        // read, 11 fork's dup_mm, 12 its down_write(mmap_sem).
        var r = TestKit.Run(PriFaultDuringRead.Replace("disk*3 kworker CPU0", "CPU0 CPU0 disk*3 kworker"));
        Assert.False(r.FollowedSchedule);
        Assert.Equal(12, r.FirstSkipped);
    }

    // Two CPUs fault on the same swapped page: the second finds the page in the swap cache, locked.
    private const string TwoFaults = """
        cpus 2
        pages 1
        page mm0 A swapped 5
        cpu 0 mm0: load A
        cpu 1 mm0: load A
        schedule: CPU0*7 CPU1*6 disk*3 CPU0*16 CPU1*9
        """;

    [Fact]
    public void A_second_fault_finds_the_page_locked_in_the_swap_cache_and_waits_for_the_one_read()
    {
        var r = TestKit.Run(TwoFaults);
        Coherent(r);
        Assert.True(Ran(r, StepId.lookup_swap_cache, "CPU1")[0].Result);
        Assert.False(Ran(r, StepId.trylock_page, "CPU1", RecipeId.do_swap_page)[0].Result);
        Assert.True(Tick(r, StepId.wait_on_page_locked, "CPU1") > Tick(r, StepId.unlock_page, "disk"));
        Assert.Single(Ran(r, StepId.swap_dev_read));
        Assert.Equal(5, Returned(r, "CPU0"));
        Assert.Equal(5, Returned(r, "CPU1"));
    }

    [Fact]
    public void A_synchronous_device_reads_the_page_before_swap_readpage_returns()
    {
        var r = TestKit.Run(TwoFaults.Replace("schedule: CPU0*7 CPU1*6 disk*3 CPU0*16 CPU1*9", "schedule: CPU0*16"), TestKit.Variant("set swap_device sync"));
        Coherent(r);
        Assert.Single(Ran(r, StepId.swap_dev_read, "CPU0"));
        Assert.True(Assert.Single(Ran(r, StepId.trylock_page, "CPU0", RecipeId.do_swap_page)).Result);
        Assert.Empty(Ran(r, StepId.fault_flag_tried));
        Assert.False(Acted(r, "disk"));
        Assert.Equal(0, (int)(r.Sim.M.Frames[1].Flags & FrameFlags.NotUptodate));
    }
}
