using Fuzz.Model.Kernel.Recipes.V414;

namespace Fuzz.Model.Kernel.Recipes;

/// <summary>
/// The v4.14 recipes, laid out like the kernel: one class per kernel source file (V414/), each
/// recipe following the named kernel function line by line. Every safety step (lock, recheck,
/// flush, notifier call, refcount) is its own step so that a variant can remove or move it and
/// the harness can tell whether it was needed.
/// </summary>
internal static class V414Kernel
{
    public static IReadOnlyList<RecipeDraft> All() =>
    [
        ArchX86Fault.CpuAccess(),
        ArchX86Fault.DoPageFault(),
        MmMemory.HandleMmFault(),
        MmMemory.DoAnonymousPage(),
        MmMemory.DoWpPage(),
        MmMemory.WpPageReuse(),
        MmMemory.WpPageCopy(),
        MmMadvise.MadviseDontneed(),
        MmMemory.ZapPageRange(),
        MmMemory.ZapPteRange(),
        MmMemory.TlbFinishMmu(),
        MmMemory.TlbFlushMmu(),
        MmMemory.TlbFlushMmuTlbonly(),
        MmRmap.FlushTlbBatchedPending(),
        KernelFork.Fork(),
        MmMemory.CopyPageRange(),
        MmMemory.CopyPteRange(),
        PcieAtsDevice.DeviceAccess(),
        DriversIommuAmdIommuV2.IommuDoFault(),
        MmMemory.DoSwapPage(),
        MmMigrate.MigrationEntryWait(),
        FsDirectIo.OdirectRead(),
        MmKsm.KsmMerge(),
        MmKsm.TryToMergeWithKsmPage(),
        MmKsm.WriteProtectPage(),
        MmKsm.ReplacePage(),
        MmKsm.BreakCow(),
        MmVmscan.ShrinkPageList(),
        MmRmap.TryToUnmap(),
        MmRmap.TryToUnmapOne(),
        MmMigrate.MigratePages(),
        MmMigrate.RemoveMigrationPtes(),
        MmMigrate.RemoveMigrationPte(),
        DriversIommuAmdIommuV2.MnInvalidateRange(),
        DriversIommuAmdIommuV2.MnClearFlushYoung(),
        DriversIommuAmdIommu.FlushPasid(),
        DriversIommuIntelSvm.IntelInvalidateRange(),
        DriversIommuIntelSvm.IntelChangePte(),
        DriversIommuIntelSvm.IntelFlushSvmRangeDev(),
        MmVmscan.PageCheckReferences(),
        MmRmap.PageReferenced(),
        MmRmap.PageReferencedOne(),
        MmVmscan.Pageout(),
        MmPageIo.SwapWritepage(),
        FsBlockDev.BdevWritePage(),
        MmSwapState.ReadSwapCacheAsync(),
        MmPageIo.SwapReadpage(),
        SwapBlockDevice.SwapBioWrite(),
        SwapBlockDevice.SwapBioRead(),
    ];
}
