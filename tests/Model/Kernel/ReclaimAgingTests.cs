using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Tests.Shared;
using static Fuzz.Tests.Model.Kernel.TraceFacts;
using static Fuzz.Tests.Model.Oracles.OracleScenarios;

namespace Fuzz.Tests.Model.Kernel;

/// <summary>
/// Reclaim looks at the accessed bit before it takes a page: page_check_references() ->
/// page_referenced() (mm/vmscan.c:858-911, mm/rmap.c:752-880), and try_to_unmap_one()'s young check
/// (mm/rmap.c:1432-1439), both through ptep_clear_flush_young_notify().
/// </summary>
public class ReclaimAgingTests
{
    // CPU0 and the device both cache A (the walks set its accessed bit: the CPU's and the IOMMU's
    // answering the device's translation request); one reclaim pass, whose ->clear_flush_young
    // (amd_iommu_v2's mn_clear_flush_young) queues the IOTLB and ATC invalidations and waits for each.
    private const string YoungWithDevice = """
        cpus 1
        pages 1
        device mm0
        page mm0 A 5 rw
        cpu 0 mm0: load A
        device: dma_read A
        kswapd: swap_out mm0 A
        schedule: CPU0 DEV*2 IOMMU.walk:A DEV*2 kswapd*8 IOMMU.cmd kswapd*2 IOMMU.cmd kswapd*5
        """;

    [Fact]
    public void A_young_page_is_activated_its_accessed_bit_cleared_without_a_cpu_flush_and_amd_flushes_the_atc()
    {
        var r = TestKit.Run(YoungWithDevice);
        Coherent(r);
        MachineState m = r.Sim.M;
        // page_referenced_one(): the accessed bit was set, and is clear now; the page stays mapped.
        var young = Ran(r, StepId.ptep_clear_flush_young, "kswapd", RecipeId.page_referenced_one);
        Assert.True(Assert.Single(young).Result);
        Assert.True(Assert.Single(Ran(r, StepId.referenced_ptes, "kswapd")).Result);
        Assert.True(m.PteAt(0, 0).IsPresent);
        Assert.False(m.PteAt(0, 0).Young);
        Assert.Empty(Ran(r, StepId.add_to_swap));
        Assert.False(Entered(r, RecipeId.try_to_unmap_one));
        // x86 ptep_clear_flush_young() flushes no CPU TLB: CPU0 keeps its translation.
        Assert.True(m.TlbAt(0, 0, 0).Valid);
        // amd_iommu_v2's ->clear_flush_young flushed the device's translation of A.
        var notify = Assert.Single(Ran(r, StepId.mmu_notifier_clear_flush_young, "kswapd"));
        Assert.True(notify.Result);
        Assert.True(Entered(r, RecipeId.mn_clear_flush_young));
        Assert.False(m.Atc[0].Valid);
        Assert.False(m.Iotlb[0].Valid);
        // Back on the LRU with only the mapping's reference.
        int pfn = m.PteAt(0, 0).Pfn;
        Assert.Equal(1, m.Frames[pfn].RefCount);
        Assert.Equal(0, (int)(m.Frames[pfn].Flags & (FrameFlags.Isolated | FrameFlags.SwapCache)));
    }

    [Fact]
    public void Intel_svm_has_no_clear_flush_young_so_the_device_keeps_its_translation()
    {
        // No callback, so no invalidation commands for the IOMMU to execute.
        string schedule = "schedule: CPU0 DEV*2 IOMMU.walk:A DEV*2 kswapd*11";
        var r = TestKit.Run(YoungWithDevice.Replace("schedule: CPU0 DEV*2 IOMMU.walk:A DEV*2 kswapd*8 IOMMU.cmd kswapd*2 IOMMU.cmd kswapd*5", schedule), TestKit.Variant("set iommu intel_svm"));
        Coherent(r);
        Assert.False(Assert.Single(Ran(r, StepId.mmu_notifier_clear_flush_young, "kswapd")).Result);
        Assert.True(r.Sim.M.Atc[0].Valid);
        // The CPU's accessed bit alone activates the page.
        Assert.True(Assert.Single(Ran(r, StepId.referenced_ptes, "kswapd")).Result);
    }

    // A starts old, so page_check_references() lets reclaim go on; CPU0's load walks the page
    // table (setting the accessed bit) after add_to_swap() and before try_to_unmap_one().
    private const string YoungAtUnmap = """
        cpus 1
        pages 1
        page mm0 A 5 rw old
        cpu 0 mm0: load A
        kswapd: swap_out mm0 A
        schedule: kswapd*10 CPU0 kswapd*11
        """;

    [Fact]
    public void A_pte_young_at_try_to_unmap_one_stays_mapped_and_the_page_is_activated()
    {
        var r = TestKit.Run(YoungAtUnmap);
        Coherent(r);
        MachineState m = r.Sim.M;
        Assert.False(Assert.Single(Ran(r, StepId.referenced_ptes, "kswapd")).Result);
        Assert.True(Assert.Single(Ran(r, StepId.add_to_swap, "kswapd")).Result);
        // rmap.c:1432-1439: young, so "ret = false; page_vma_mapped_walk_done(&pvmw); break;".
        Assert.True(Assert.Single(Ran(r, StepId.young, "kswapd", RecipeId.try_to_unmap_one)).Result);
        Assert.Single(Ran(r, StepId.page_vma_mapped_walk_done, "kswapd"));
        Assert.Empty(Ran(r, StepId.ptep_get_and_clear));
        Assert.False(Entered(r, RecipeId.pageout));
        // try_to_unmap failed: activate_locked. Still mapped, its bit cleared, and in the swap cache
        // with no swap PTE using the slot.
        Assert.True(m.PteAt(0, 0).IsPresent);
        Assert.False(m.PteAt(0, 0).Young);
        ref Frame f = ref m.Frames[m.PteAt(0, 0).Pfn];
        Assert.True(f.InSwapCache);
        Assert.Equal(0, m.SwapCount[f.SwapSlot]);
        Assert.Equal(0, f.LockedBy);
        Assert.True(m.TlbAt(0, 0, 0).Valid);
    }

    [Fact]
    public void The_next_pass_finds_the_accessed_bit_clear_and_unmaps_the_page()
    {
        var r = TestKit.Run(YoungAtUnmap.Replace("kswapd: swap_out mm0 A", "kswapd: swap_out mm0 A; swap_out mm0 A")
            .Replace("kswapd*10 CPU0 kswapd*11", "kswapd*10 CPU0 kswapd*11 kswapd*37"));
        Coherent(r);
        var checks = Ran(r, StepId.young, "kswapd", RecipeId.try_to_unmap_one);
        Assert.Equal([true, false], checks.Select(e => e.Result));
        Assert.Equal(PteKind.Swap, r.Sim.M.PteAt(0, 0).Kind);
    }

    // kcompactd migrates a page that was just used: migration passes TTU_IGNORE_ACCESS.
    private const string MigrateYoung = """
        cpus 1
        pages 1
        page mm0 A 5 rw
        cpu 0 mm0: load A
        kcompactd: migrate mm0 A
        schedule: CPU0 kcompactd*40
        """;

    [Fact]
    public void Migration_ignores_the_accessed_bit()
    {
        var r = TestKit.Run(MigrateYoung);
        Coherent(r);
        Assert.True(Assert.Single(Ran(r, StepId.TTU_IGNORE_ACCESS, "kcompactd")).Result);
        Assert.Empty(Ran(r, StepId.ptep_clear_flush_young));
        Assert.Single(Ran(r, StepId.migrate_page_copy, "kcompactd"));
        Assert.NotEqual(1, r.Sim.M.PteAt(0, 0).Pfn);
    }
}
