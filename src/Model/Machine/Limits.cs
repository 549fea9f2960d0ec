namespace Fuzz.Model.Machine;

/// <summary>
/// Upper bounds of the modelled machine. They are small on purpose: every race in the thread
/// needs at most three agents and two pages, and small bounds keep states in flat arrays.
/// </summary>
public static class Limits
{
    public const int MaxCpus = 4;
    /// <summary>Address spaces: the initial one and at most one fork child (or a second process).</summary>
    public const int MaxMms = 2;
    /// <summary>Virtual pages per mm, named A, B, C, ...</summary>
    public const int MaxPages = 8;
    /// <summary>
    /// PTE pages (page tables) per mm. A PTE page maps 512 pages (2 MiB) and has its own split
    /// page-table lock (USE_SPLIT_PTE_PTLOCKS, include/linux/mm.h:1729); with two, pages of one mm sit
    /// under two PMDs and two locks, which races between zappers and reclaim need.
    /// </summary>
    public const int MaxPageTables = 2;
    /// <summary>Physical frames, the zero page included.</summary>
    public const int MaxFrames = 64;
    public const int MaxSwapSlots = 16;
    /// <summary>Pages one mmu_gather can hold before it must flush (far above what a range here needs).</summary>
    public const int GatherBatch = MaxPages;
    /// <summary>
    /// Invalidation commands the IOMMU's queue holds. A driver that waits after each command has at
    /// most one queued per agent (eight agents); a variant that drops its waits fills it, and then
    /// queueing waits for room, as __iommu_queue_command_sync() and qi_submit_sync() spin on a full queue.
    /// </summary>
    public const int IommuQueue = 16;
    /// <summary>Pfn of the shared zero page.</summary>
    public const int ZeroPfn = 0;
}
