using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Kernel.TraceFacts;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Kernel;

/// <summary>
/// PG_writeback: pageout() -> swap_writepage() starts the write and unlocks the page
/// (mm/vmscan.c:593-660, mm/page_io.c:245-348); with a bio the write completes on the swap device
/// (end_swap_bio_write), and shrink_page_list() keeps the page until a later pass
/// (vmscan.c:1235-1249); a device with ->rw_page completes inside bdev_write_page().
/// </summary>
public class WritebackTests
{
    // Pass 1 finds A young (CPU0's load) and activates it; pass 2 unmaps it and submits the write;
    // the swap device writes it and ends the writeback; pass 3 frees it. Then CPU0 reads A back.
    private const string ThreePasses = """
        cpus 1
        pages 1
        page mm0 A 5 rw
        cpu 0 mm0: load A; load A
        kswapd: swap_out mm0 A; swap_out mm0 A; swap_out mm0 A
        schedule: CPU0 kswapd*11 kswapd*38 disk*2 kswapd*11
        """;

    [Fact]
    public void Young_then_reclaimed_then_written_back_asynchronously_then_freed_on_the_third_pass()
    {
        var r = TestKit.Run(ThreePasses);
        Coherent(r);
        // Pass 1: young, activated. Pass 2: old, unmapped and written. Pass 3: nothing mapped.
        Assert.Equal([true, false, false], Ran(r, StepId.referenced_ptes, "kswapd").Select(e => e.Result));
        Assert.Single(Ran(r, StepId.add_to_swap, "kswapd"));
        // Pass 2 left the page unlocked and under writeback ("if (PageWriteback(page)) goto keep;").
        Assert.True(Ran(r, StepId.PageWriteback, "kswapd")[2].Result);
        int unlocked = Tick(r, StepId.unlock_page, "kswapd", 2);
        int submitted = Tick(r, StepId.submit_bio, "kswapd");
        Assert.True(unlocked < submitted);
        // The swap device took the data, then ended the writeback; only then was the page freed.
        int written = Tick(r, StepId.swap_dev_write, "disk");
        int ended = Tick(r, StepId.end_page_writeback, "disk");
        int freed = Tick(r, StepId.free_hot_cold_page_list, "kswapd");
        Assert.True(submitted < written && written < ended && ended < freed);
        Assert.True(Assert.Single(Ran(r, StepId.__remove_mapping, "kswapd")).Result);
        Assert.Equal(5, r.Sim.M.SwapContent[0]);
        // CPU0's second load reads the page back from the slot.
        Assert.Equal(5, Returned(r, "CPU0", 2));
        Assert.Single(Ran(r, StepId.swap_dev_read, "disk"));
    }

    [Fact]
    public void A_second_pass_meeting_the_page_under_writeback_activates_it()
    {
        var r = TestKit.Run(ThreePasses.Replace("disk*2 kswapd*11", "kswapd*6 disk*2"));
        Followed(r);
        Assert.True(Ran(r, StepId.PageWriteback, "kswapd", RecipeId.shrink_page_list)[2].Result);
        Assert.Empty(Ran(r, StepId.__remove_mapping));
        Assert.True(r.Sim.M.Frames[1].InSwapCache);
    }

    [Fact]
    public void A_synchronous_rw_page_device_lets_the_same_pass_free_the_page()
    {
        var r = TestKit.Run(ThreePasses.Replace("kswapd*38 disk*2 kswapd*11", "kswapd*45 kswapd"), TestKit.Variant("set swap_device sync"));
        Coherent(r);
        Assert.True(Assert.Single(Ran(r, StepId.rw_page, "kswapd", RecipeId.bdev_write_page)).Result);
        Assert.Single(Ran(r, StepId.swap_dev_write, "kswapd"));
        // PAGE_SUCCESS without PG_writeback: trylock_page again, and free in this pass.
        Assert.True(Ran(r, StepId.trylock_page, "kswapd", RecipeId.shrink_page_list).Last().Result);
        Assert.Single(Ran(r, StepId.free_hot_cold_page_list, "kswapd"));
        Assert.Equal(5, Returned(r, "CPU0", 2));
        Assert.False(Acted(r, "disk"));
    }

    // O_DIRECT pins A (get_user_pages_fast) before reclaim runs; the DMA completes after it.
    private const string Pinned = """
        cpus 1
        pages 1
        page mm0 A 5 rw old
        cpu 0 mm0: odirect_read A 7
        kswapd: swap_out mm0 A
        schedule: CPU0 kswapd*33 CPU0*2
        """;

    [Fact]
    public void Pageout_does_not_write_a_page_someone_else_holds()
    {
        var r = TestKit.Run(Pinned, TestKit.V414);
        Coherent(r);
        var freeable = Assert.Single(Ran(r, StepId.is_page_cache_freeable, "kswapd"));
        Assert.False(freeable.Result);
        Assert.Equal(3, freeable.Value);
        Assert.Empty(Ran(r, StepId.set_page_writeback));
        Assert.Empty(Ran(r, StepId.swap_dev_write));
        // PAGE_KEEP: kept locked, then unlocked; still in the swap cache and dirty, now holding 7.
        ref Frame f = ref r.Sim.M.Frames[1];
        Assert.True(f.InSwapCache);
        Assert.NotEqual(0, (int)(f.Flags & FrameFlags.Dirty));
        Assert.Equal(7, f.Content);
    }

    // Reclaim unmaps A (a swap PTE now names the slot); CPU0's MADV_DONTNEED zaps that swap PTE
    // while reclaim holds the page lock, so free_swap_and_cache() cannot take the page.
    private const string ZappedBeforeWrite = """
        cpus 1
        pages 1
        page mm0 A 5 rw old
        cpu 0 mm0: madvise_dontneed A
        kswapd: swap_out mm0 A
        schedule: kswapd*27 CPU0*16 kswapd*10
        """;

    [Fact]
    public void Swap_writepage_drops_a_page_no_swap_pte_uses_without_writing_it()
    {
        var r = TestKit.Run(ZappedBeforeWrite);
        Coherent(r);
        Assert.True(Assert.Single(Ran(r, StepId.free_swap_and_cache, "CPU0")).Result);
        // swap_writepage(): try_to_free_swap() succeeds, unlock_page(), no I/O.
        Assert.True(Assert.Single(Ran(r, StepId.try_to_free_swap, "kswapd", RecipeId.swap_writepage)).Result);
        Assert.Empty(Ran(r, StepId.set_page_writeback));
        Assert.False(Acted(r, "disk"));
        // PAGE_SUCCESS with PG_dirty set again: keep; putback_lru_page() drops the last reference.
        Assert.True(Ran(r, StepId.PageDirty, "kswapd", RecipeId.shrink_page_list).Last().Result);
        Assert.True(r.Sim.M.Frames[1].IsFree);
        Assert.False(r.Sim.M.SwapUsed[0]);
    }

    // A page under writeback (reclaim's pass returned) is not migrated: kcompactd's
    // MIGRATE_SYNC_LIGHT gets -EBUSY (mm/migrate.c:1007-1025).
    private const string MigrateUnderWriteback = """
        cpus 1
        pages 1
        page mm0 A 5 rw old
        kswapd: swap_out mm0 A
        kcompactd: migrate mm0 A
        schedule: kswapd*38 kcompactd*7 disk*2
        """;

    [Fact]
    public void Migration_leaves_a_page_under_writeback_alone()
    {
        var r = TestKit.Run(MigrateUnderWriteback, TestKit.V414);
        Coherent(r);
        Assert.True(Assert.Single(Ran(r, StepId.PageWriteback, "kcompactd")).Result);
        Assert.Empty(Ran(r, StepId.migrate_page_copy));
        Assert.True(r.Sim.M.Frames[1].InSwapCache);
        Assert.Equal(5, r.Sim.M.SwapContent[0]);
    }

    // CPU0 writes A (its TLB entry is writable and dirty) and reclaim's first pass activates it.
    // The second pass unmaps A deferring the flush; without try_to_unmap_flush_dirty() the write
    // is submitted while CPU0 still holds a writable translation. The swap device takes the data,
    // CPU0 stores 2 through its stale entry, the write ends, and the third pass frees the page:
    // the store is lost.
    private const string StoreAfterWriteback = """
        cpus 1
        pages 1
        page mm0 A 5 rw
        cpu 0 mm0: store A 1; store A 2
        kswapd: swap_out mm0 A; swap_out mm0 A; swap_out mm0 A
        schedule: CPU0 kswapd*11 kswapd*34 disk CPU0 kswapd*3 disk kswapd*11
        """;

    [Fact]
    public void Without_try_to_unmap_flush_dirty_a_store_after_the_write_is_lost()
    {
        var r = TestKit.Run(StoreAfterWriteback, TestKit.Variant("remove shrink_page_list try_to_unmap_flush_dirty"));
        Fires(r, OracleId.LostWrite);
        Assert.True(r.Sim.Violations.TryGet(OracleId.LostWrite, out Violation v));
        Assert.Equal(2, v.Value);
        // The store went through the deferred entry after the device had read the page.
        var store = Ran(r, StepId.mmu_access, "CPU0").Last();
        Assert.True(store.Tick > Tick(r, StepId.swap_dev_write, "disk"));
        Assert.Equal(1, r.Sim.M.SwapContent[0]);
    }

    [Fact]
    public void With_try_to_unmap_flush_dirty_the_store_faults_and_finds_the_page_in_the_swap_cache()
    {
        // The flush drops CPU0's entry before the write starts (one kswapd step more), so the store
        // faults, maps the page under writeback again and writes it there; nothing is lost.
        var r = TestKit.Run(StoreAfterWriteback.Replace("kswapd*34 disk CPU0 kswapd*3 disk kswapd*11", "kswapd*35 disk CPU0 kswapd*3 disk"), TestKit.V414);
        Coherent(r);
        Assert.Single(Ran(r, StepId.try_to_unmap_flush_dirty, "kswapd"));
        Assert.True(Ran(r, StepId.lookup_swap_cache, "CPU0").Last().Result);
    }
}
