namespace Fuzz.Model.Kernel.Recipes;

/// <summary>
/// The v4.14 recipes, one file per recipe. Each follows the named kernel function line by line;
/// every safety step (lock, recheck, flush, notifier call, refcount) is its own step so that a
/// variant can remove or move it and the harness can tell whether it was needed.
/// </summary>
internal static partial class V414
{
    public static IReadOnlyList<RecipeDraft> All() =>
    [
        CpuAccess(),
        DoPageFault(),
        HandleMmFault(),
        DoAnonymousPage(),
        DoWpPage(),
        WpPageReuse(),
        WpPageCopy(),
        MadviseDontneed(),
        ZapPageRange(),
        ZapPteRange(),
        TlbFinishMmu(),
        Fork(),
        CopyPageRange(),
        CopyPteRange(),
        DeviceAccess(),
        IommuDoFault(),
        DoSwapPage(),
        MigrationEntryWait(),
        OdirectRead(),
        KsmMerge(),
        TryToMergeWithKsmPage(),
        WriteProtectPage(),
        ReplacePage(),
        ShrinkPageList(),
        TryToUnmap(),
        TryToUnmapOne(),
        MigratePages(),
        RemoveMigrationPtes(),
        RemoveMigrationPte(),
    ];
}
