namespace Fuzz.Model.Machine;

/// <summary>
/// The whole machine as flat arrays of small structs: frames, page tables, per-mm state, one TLB per
/// CPU, the IOMMU's IOTLB and command queue, the device's ATC and its outstanding ATS requests, swap
/// slots and the PRI queue. Sized once per scenario shape and reset in place between runs, so a
/// simulated step never allocates.
/// </summary>
public sealed partial class MachineState
{
    public readonly int Cpus;
    public readonly int Mms;
    public readonly int Pages;
    /// <summary>PTE pages per mm (1 or 2): pages before <see cref="SecondTable"/> sit in the first, the rest in the second.</summary>
    public readonly int Tables;
    /// <summary>The first virtual page of the second PTE page, or <see cref="Pages"/> when there is one.</summary>
    public readonly int SecondTable;
    public readonly int FrameCount;
    public readonly int SwapSlots;

    public readonly Frame[] Frames;
    /// <summary>LIFO free list: the most recently freed frame is handed out first, as the per-cpu
    /// page lists do, which makes reuse of a just-freed frame (and so use-after-free) likely.</summary>
    public readonly short[] FreeStack;
    public int FreeCount;

    /// <summary>Page tables, indexed by <see cref="PteIndex"/>.</summary>
    public readonly Pte[] PageTable;
    /// <summary>
    /// Per PTE, how many times the kernel changed the translation (not counting hardware A/D bits).
    /// Cached translations remember the version they were filled from, so an operation is blamed
    /// only for stale translations of mappings it saw.
    /// </summary>
    public readonly int[] PteVersion;
    public readonly MmState[] MmStates;
    /// <summary>Split page-table lock holder of each (mm, PTE page), indexed mm * Tables + table: agent index + 1, or 0.</summary>
    public readonly byte[] PtlOwner;

    /// <summary>CPU TLBs, indexed by <see cref="TlbIndex"/>.</summary>
    public readonly TlbEntry[] Tlb;

    /// <summary>The mm the IOMMU is bound to by PASID, or -1 when there is no device.</summary>
    public int IommuMm;
    /// <summary>The device's ATC (device TLB), indexed by virtual page.</summary>
    public readonly TlbEntry[] Atc;
    /// <summary>The IOMMU's own TLB for the PASID-bound mm, indexed by virtual page. It answers ATS
    /// translation requests before any page walk, so a stale entry refills the ATC.</summary>
    public readonly TlbEntry[] Iotlb;
    /// <summary>The device's outstanding ATS translation request per virtual page.</summary>
    public readonly AtsRequest[] Ats;
    /// <summary>The IOMMU's command buffer (AMD) / invalidation queue (Intel), oldest first, packed:
    /// the entries before the first <see cref="IommuCommandKind.None"/> are the queue.</summary>
    public readonly IommuCommand[] IommuQueue;

    /// <summary>Swap slots: content and swap_map count (0 = free).</summary>
    public readonly int[] SwapContent;
    public readonly short[] SwapCount;
    /// <summary>Frame in the swap cache for a slot, or -1.</summary>
    public readonly short[] SwapCacheFrame;
    /// <summary>Slot allocated (get_swap_page) and not yet released.</summary>
    public readonly bool[] SwapUsed;

    /// <summary>
    /// Swap bios submitted and not yet completed, in submission order (a ring of
    /// <see cref="IoHead"/>, <see cref="IoCount"/>): the swap device works through them one at a
    /// time. A frame has at most one bio in flight (it is locked for a read, under writeback for a
    /// write), so a ring the size of the frame table never overflows.
    /// </summary>
    public readonly SwapIo[] IoQueue;
    public int IoHead;
    public int IoCount;

    /// <summary>The single outstanding PRI page request (the device waits for its response).</summary>
    public bool PriQueued;
    public bool PriResponded;
    public byte PriVa;
    public bool PriWrite;

    public MachineState(int cpus, int mms, int pages, int frames, int swapSlots, int secondTable = -1)
    {
        if (secondTable < 0) secondTable = pages;
        if (secondTable < 1 || secondTable > pages) throw new ArgumentOutOfRangeException(nameof(secondTable));
        int tables = secondTable < pages ? 2 : 1;
        if (cpus < 1 || cpus > Limits.MaxCpus) throw new ArgumentOutOfRangeException(nameof(cpus));
        if (mms < 1 || mms > Limits.MaxMms) throw new ArgumentOutOfRangeException(nameof(mms));
        if (pages < 1 || pages > Limits.MaxPages) throw new ArgumentOutOfRangeException(nameof(pages));
        if (frames < 2 || frames > Limits.MaxFrames) throw new ArgumentOutOfRangeException(nameof(frames));
        if (swapSlots < 0 || swapSlots > Limits.MaxSwapSlots) throw new ArgumentOutOfRangeException(nameof(swapSlots));
        Cpus = cpus;
        Mms = mms;
        Pages = pages;
        Tables = tables;
        SecondTable = secondTable;
        FrameCount = frames;
        SwapSlots = swapSlots;
        Frames = new Frame[frames];
        FreeStack = new short[frames];
        PageTable = new Pte[mms * pages];
        PteVersion = new int[mms * pages];
        MmStates = new MmState[mms];
        PtlOwner = new byte[mms * tables];
        Tlb = new TlbEntry[cpus * mms * pages];
        Atc = new TlbEntry[pages];
        Iotlb = new TlbEntry[pages];
        Ats = new AtsRequest[pages];
        IommuQueue = new IommuCommand[Limits.IommuQueue];
        SwapContent = new int[Math.Max(1, swapSlots)];
        SwapCount = new short[Math.Max(1, swapSlots)];
        SwapCacheFrame = new short[Math.Max(1, swapSlots)];
        SwapUsed = new bool[Math.Max(1, swapSlots)];
        IoQueue = new SwapIo[frames];
        Reset();
    }

    public int PteIndex(int mm, int va) => mm * Pages + va;

    /// <summary>The PTE page (page table) that maps a virtual page.</summary>
    public int TableOf(int va) => va >= SecondTable ? 1 : 0;

    /// <summary>The last virtual page the PTE page of <paramref name="va"/> maps.</summary>
    public int LastPageOfTable(int va) => va >= SecondTable ? Pages - 1 : SecondTable - 1;

    /// <summary>The split PTL of the PTE page that maps (mm, va): pte_lockptr(mm, pmd).</summary>
    public ref byte Ptl(int mm, int va) => ref PtlOwner[mm * Tables + TableOf(va)];

    public int TlbIndex(int cpu, int mm, int va) => (cpu * Mms + mm) * Pages + va;

    public ref Pte PteAt(int mm, int va) => ref PageTable[mm * Pages + va];

    /// <summary>The kernel writes a PTE: the translation changes, so its version moves on.</summary>
    public ref Pte WritePte(int mm, int va)
    {
        PteVersion[mm * Pages + va]++;
        return ref PageTable[mm * Pages + va];
    }

    public int VersionOf(int mm, int va) => PteVersion[mm * Pages + va];

    public ref TlbEntry TlbAt(int cpu, int mm, int va) => ref Tlb[(cpu * Mms + mm) * Pages + va];

    /// <summary>Everything empty: all frames free except the zero page, no mappings, no mm yet.</summary>
    public void Reset()
    {
        Array.Clear(Frames);
        Array.Clear(PageTable);
        Array.Clear(PteVersion);
        Array.Clear(MmStates);
        Array.Clear(PtlOwner);
        Array.Clear(Tlb);
        Array.Clear(Atc);
        Array.Clear(Iotlb);
        Array.Clear(Ats);
        Array.Clear(IommuQueue);
        Array.Clear(SwapContent);
        Array.Clear(SwapCount);
        Array.Fill(SwapCacheFrame, (short)-1);
        Array.Clear(SwapUsed);
        IommuMm = -1;
        IoHead = IoCount = 0;
        PriQueued = false;
        PriResponded = false;
        PriVa = 0;
        PriWrite = false;
        Frames[Limits.ZeroPfn].Flags = FrameFlags.Zero;
        Frames[Limits.ZeroPfn].Generation = 1;
        Frames[Limits.ZeroPfn].SwapSlot = -1;
        FreeCount = 0;
        // Push in descending order so that pfn 1 is handed out first: small, readable numbers.
        for (int pfn = FrameCount - 1; pfn > Limits.ZeroPfn; pfn--)
        {
            Frames[pfn].Flags = FrameFlags.Free;
            Frames[pfn].SwapSlot = -1;
            FreeStack[FreeCount++] = (short)pfn;
        }
    }

    /// <summary>Take a frame off the free list (refcount 1, as alloc_pages returns it), or -1.</summary>
    public int AllocFrame()
    {
        if (FreeCount == 0) return -1;
        int pfn = FreeStack[--FreeCount];
        ref Frame f = ref Frames[pfn];
        // The old data stays: alloc_page_vma() does not clear, only the zeroing allocators do.
        int content = f.Content;
        int generation = f.Generation + 1;
        f = default;
        f.Content = content;
        f.Generation = generation;
        f.RefCount = 1;
        f.SwapSlot = -1;
        f.SwapSeq = -1;
        f.LastWriter = -1;
        return pfn;
    }

    /// <summary>Whether any PTE (present or migration entry) maps the frame.</summary>
    public bool AnyPteMaps(int pfn)
    {
        for (int i = 0; i < PageTable.Length; i++)
        {
            ref Pte p = ref PageTable[i];
            if (p.Kind is PteKind.Present or PteKind.Migration && p.Pfn == pfn) return true;
        }
        return false;
    }

    /// <summary>get_swap_page(): the lowest free slot, or -1 when swap is full.</summary>
    public int AllocSlot()
    {
        for (int slot = 0; slot < SwapSlots; slot++)
        {
            if (SwapUsed[slot]) continue;
            SwapUsed[slot] = true;
            SwapCount[slot] = 0;
            SwapCacheFrame[slot] = -1;
            SwapContent[slot] = 0;
            return slot;
        }
        return -1;
    }

    /// <summary>A slot nobody references (no swap PTE, no swap cache page) goes back to the free pool.</summary>
    public void MaybeFreeSlot(int slot)
    {
        if (slot >= 0 && SwapCount[slot] <= 0 && SwapCacheFrame[slot] < 0) SwapUsed[slot] = false;
    }

    /// <summary>__add_to_swap_cache(): the frame becomes the slot's swap cache page and the cache holds a reference.</summary>
    public void AddToSwapCache(int pfn, int slot)
    {
        ref Frame f = ref Frames[pfn];
        f.Flags |= FrameFlags.SwapCache;
        f.SwapSlot = (short)slot;
        f.RefCount++;
        SwapCacheFrame[slot] = (short)pfn;
    }

    /// <summary>__delete_from_swap_cache(): the frame leaves the swap cache (the caller drops the cache's reference).</summary>
    public void RemoveFromSwapCache(int pfn)
    {
        ref Frame f = ref Frames[pfn];
        int slot = f.SwapSlot;
        f.Flags &= ~FrameFlags.SwapCache;
        f.SwapSlot = -1;
        if (slot < 0) return;
        SwapCacheFrame[slot] = -1;
        MaybeFreeSlot(slot);
    }

    /// <summary>submit_bio() of a swap page: the bio joins the swap device's queue (false when it is full).</summary>
    public bool SubmitSwapIo(int pfn, int slot, bool write)
    {
        if (IoCount == IoQueue.Length) return false;
        ref SwapIo io = ref IoQueue[(IoHead + IoCount) % IoQueue.Length];
        io.Pfn = (short)pfn;
        io.Slot = (short)slot;
        io.Write = write;
        io.Generation = Frames[pfn].Generation;
        IoCount++;
        return true;
    }

    /// <summary>The swap device takes the oldest bio it has not started.</summary>
    public SwapIo NextSwapIo()
    {
        SwapIo io = IoQueue[IoHead];
        IoHead = (IoHead + 1) % IoQueue.Length;
        IoCount--;
        return io;
    }

    /// <summary>Return a frame whose last reference was dropped to the free list.</summary>
    public void FreeFrame(int pfn)
    {
        ref Frame f = ref Frames[pfn];
        f.Flags = FrameFlags.Free;
        f.RefCount = 0;
        f.MapCount = 0;
        f.LockedBy = 0;
        f.SwapSlot = -1;
        f.Retired = false;
        FreeStack[FreeCount++] = (short)pfn;
    }
}
