using Fuzz.Model.Machine;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// Reclaim's aging: ptep_clear_flush_young_notify() (include/linux/mmu_notifier.h:291-302) as
/// page_referenced_one() and try_to_unmap_one()'s young check call it, per mapping under its PTL:
/// the x86 accessed-bit clear without a TLB flush, then the SVA driver's ->clear_flush_young.
/// </summary>
internal static partial class Steps
{
    /// <summary>
    /// x86 ptep_clear_flush_young() = ptep_test_and_clear_young() (arch/x86/mm/pgtable.c:479-489,
    /// 516-533): test_and_clear_bit(_PAGE_BIT_ACCESSED) on the PTE, and no TLB flush ("clearing the
    /// accessed bit without a TLB flush doesn't cause data corruption"): a CPU that still caches
    /// the translation keeps using it and does not set the bit again until it walks the table.
    /// Not a change of the translation, so the PTE's version stays.
    /// </summary>
    [Step(StepCategory.PteWrite, "ptep_clear_flush_young(): x86 test-and-clears the PTE's accessed bit, no TLB flush (pgtable.c:516-533)")]
    internal static bool ptep_clear_flush_young(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref Pte pte = ref s.M.PteAt(c.Mm, c.Va);
        bool young = pte.IsPresent && pte.Young;
        pte.Young = false;
        c.Young = young;
        c.Referenced |= young;
        if (pte.IsPresent) s.Trace.Last.Pfn = pte.Pfn;
        s.Trace.Last.Detail = young ? 1 : 0;
        return young;
    }

    /// <summary>
    /// mmu_notifier_clear_flush_young(mm, addr, addr + PAGE_SIZE) (mm/mmu_notifier.c:110-125):
    /// amd_iommu_v2's mn_clear_flush_young() flushes the page from the IOMMU TLB and the device
    /// ATC (__mn_flush_page -> amd_iommu_flush_page) and returns 0, so that the device's next access
    /// walks the page table again and sets the accessed bit (amd_iommu_v2.c:383-392); intel-svm has
    /// no ->clear_flush_young (intel-svm.c:278-282). "__young |= ...".
    /// </summary>
    [Step(StepCategory.SecondaryFlush, "mmu_notifier_clear_flush_young() (mm/mmu_notifier.c:110-125): amd_iommu_v2's mn_clear_flush_young flushes the page from the IOTLB and device ATC and says 0 (amd_iommu_v2.c:383-392); intel-svm has none")]
    internal static bool mmu_notifier_clear_flush_young(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Trace.Last.Detail = c.Va;
        return CallNotifier(s, ai, NotifierCallback.ClearFlushYoung, c.Va, c.Va);
    }

    /// <summary>ptep_clear_flush_young_notify()'s result, "if (ptep_clear_flush_young_notify(vma, address, pvmw.pte))".</summary>
    [Step(StepCategory.Check, "__young = ptep_clear_flush_young() | mmu_notifier_clear_flush_young() (mmu_notifier.h:291-302): the mapping was used since reclaim last looked (rmap.c:773, 1433)", Local = true, Predicate = true)]
    internal static bool young(Simulator s, int ai, in Instr ins) => s.Agents[ai].Ctx.Young;

    /// <summary>page_check_references(): "referenced_ptes = page_referenced(page, 1, ...)"; an anonymous page with any is activated (vmscan.c:875-877).</summary>
    [Step(StepCategory.Check, "referenced_ptes = page_referenced(): a young mapping, so the swap-backed page is activated (page_check_references, vmscan.c:864-877)", Local = true, Predicate = true)]
    internal static bool referenced_ptes(Simulator s, int ai, in Instr ins) => s.Agents[ai].Ctx.Referenced;

    /// <summary>
    /// try_to_unmap_one() "if (!(flags &amp; TTU_IGNORE_ACCESS))": migration passes TTU_IGNORE_ACCESS
    /// (migrate.c:1082-1083), reclaim does not (shrink_inactive_list's ttu_flags are 0, vmscan.c:1803).
    /// </summary>
    [Step(StepCategory.Check, "flags & TTU_IGNORE_ACCESS (try_to_unmap_one, rmap.c:1432): migration passes it (migrate.c:1082-1083) and unmaps young pages; reclaim does not", Local = true, Predicate = true)]
    internal static bool TTU_IGNORE_ACCESS(Simulator s, int ai, in Instr ins) =>
        s.Agents[ai].CurOp >= 0 && s.Ops[s.Agents[ai].CurOp].Kind == OpKind.Migrate;

    /// <summary>
    /// page_vma_mapped_walk_done(&amp;pvmw) (include/linux/rmap.h) on a break out of the walk: the
    /// PTE is unmapped and the PTL dropped. Every such break in try_to_unmap_one() sets ret = false,
    /// which stops rmap_walk (rmap.c:1733-1734).
    /// </summary>
    [Step(StepCategory.Unlock, "page_vma_mapped_walk_done() (include/linux/rmap.h:215-221): break out of the walk, dropping the page-table lock (try_to_unmap_one: ret = false, rmap.c:1436)")]
    internal static bool page_vma_mapped_walk_done(Simulator s, int ai, in Instr ins) => PtlUnlock(s, ai, ins.Operand);
}
