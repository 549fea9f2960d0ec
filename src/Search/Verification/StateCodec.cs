using System.Runtime.CompilerServices;
using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Verification;

/// <summary>
/// The state key of the exhaustive search, and the way back from it: <see cref="Encode"/> writes
/// everything that can influence the future of a run or any verdict, in a canonical form, and
/// nothing else; <see cref="Decode"/> turns the bytes into a simulator state that behaves the same.
/// The search stores the bytes of states still to expand and a 128-bit hash of the bytes of every
/// state it has seen.
/// <para>
/// Canonical form. Frames are renamed in order of first appearance (page tables, caches, swap
/// cache, agents, then the free list from bottom to top, then frames nothing refers to): the model
/// compares frame numbers only for equality, and the free list, which decides the next frame
/// handed out, is written in order, so a renamed state has the same futures. Frame generations
/// are written as one bit per cached translation and pin ("the frame has not been reused since"),
/// since generations only grow and are only compared with the frame's own. PTE versions are
/// written as ranks within their page (the PTE's own version, the cached translations' and the
/// versions a running MADV_DONTNEED or fork saw): versions are only compared within a page and
/// only grow, so ranks keep every future comparison. The linearizability monitor's configurations
/// are written sorted.
/// </para>
/// <para>
/// Left out, each for a reason given in <see cref="StateFields"/>: ticks (reporting only), the
/// trace, the history (the monitor holds its verdict-relevant part), statistics, and fields that
/// are dead in the state at hand (an invalid TLB entry's contents, a free swap slot's data, an
/// idle agent's locals other than its mmap_sem holds and its pin).
/// </para>
/// Adding a field to the machine or an agent: one line in the visitor below, and one entry in
/// <see cref="StateFields"/> (a test fails until both are there).
/// </summary>
public sealed partial class StateCodec
{
    private readonly Simulator _s;
    private readonly LinearizabilityMonitor _mon;
    private readonly MachineState _m;
    private readonly CodecBuffer _b = new(4096);
    private readonly bool _rename;
    private readonly short[] _name;
    private readonly short[] _byName;
    private int _named;
    // Version ranks: per (mm, page), the distinct versions in use, sorted.
    private readonly int[] _versions;
    private readonly int[] _versionCount;
    private readonly int _groupSize;

    /// <param name="renameFrames">False: frames keep their numbers (the plain key the tests compare the canonical one with).</param>
    public StateCodec(Simulator s, LinearizabilityMonitor monitor, bool renameFrames = true)
    {
        _s = s;
        _mon = monitor;
        _m = s.M;
        _rename = renameFrames;
        _name = new short[_m.FrameCount];
        _byName = new short[_m.FrameCount];
        // Per page: the PTE, each CPU's TLB, the ATC, the IOTLB, an ATS answer, and each agent's Seen.
        _groupSize = 4 + _m.Cpus + s.AgentCount;
        _versions = new int[_m.Mms * _m.Pages * _groupSize];
        _versionCount = new int[_m.Mms * _m.Pages];
    }

    /// <summary>Encode the simulator's current state; the span is valid until the next call.</summary>
    public ReadOnlySpan<byte> Encode()
    {
        _b.StartWrite();
        CollectVersions();
        StartNames();
        Visit();
        return _b.Written;
    }

    /// <summary>Put the simulator (and monitor) into the state <paramref name="bytes"/> encode.</summary>
    public void Decode(ReadOnlySpan<byte> bytes)
    {
        _b.StartRead(bytes);
        StartNames();
        Visit();
        _s.Tick = 0;
        _s.Trace.Clear();
        _s.Violations.Clear();
        _mon.ClearViolation();
        RebuildHistory();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Visit()
    {
        for (int i = 0; i < _m.PageTable.Length; i++)
        {
            PteField(ref _m.PageTable[i]);
            Version(ref _m.PteVersion[i], i);
        }
        for (int mm = 0; mm < _m.Mms; mm++) MmStateFields(ref _m.MmStates[mm]);
        for (int i = 0; i < _m.PtlOwner.Length; i++) _b.U8(ref _m.PtlOwner[i]);
        for (int cpu = 0; cpu < _m.Cpus; cpu++)
        {
            for (int mm = 0; mm < _m.Mms; mm++)
            {
                for (int va = 0; va < _m.Pages; va++) Cached(ref _m.TlbAt(cpu, mm, va), mm * _m.Pages + va);
            }
        }
        _b.Int(ref _m.IommuMm);
        for (int va = 0; va < _m.Pages; va++) Cached(ref _m.Atc[va], _m.IommuMm < 0 ? -1 : _m.IommuMm * _m.Pages + va);
        _b.Bool(ref _m.PriQueued);
        _b.Bool(ref _m.PriResponded);
        _b.U8(ref _m.PriVa);
        _b.Bool(ref _m.PriWrite);
        IommuFields();
        IoFields();
        // Slots past the last one in use or referenced are free, unreferenced and uncached (get_swap_page()
        // hands out the lowest free slot): only how many precede them is written.
        int slots = _b.Reading ? 0 : SwapSlotsInUse();
        _b.Int(ref slots);
        for (int slot = slots; _b.Reading && slot < _m.SwapSlots; slot++)
        {
            _m.SwapUsed[slot] = false;
            _m.SwapCount[slot] = 0;
            _m.SwapCacheFrame[slot] = -1;
            _m.SwapContent[slot] = 0;
        }
        for (int slot = 0; slot < slots; slot++)
        {
            _b.Bool(ref _m.SwapUsed[slot]);
            _b.Short(ref _m.SwapCount[slot]);
            Pfn(ref _m.SwapCacheFrame[slot]);
            // A free slot's data is never read: get_swap_page() clears it when it hands the slot out.
            if (_m.SwapUsed[slot]) _b.Int(ref _m.SwapContent[slot]);
            else if (_b.Reading) _m.SwapContent[slot] = 0;
        }
        for (int ai = 0; ai < _s.Agents.Length; ai++) AgentFields(ai);
        MonitorFields();
        _b.Int(ref _m.FreeCount);
        for (int i = 0; i < _m.FreeCount; i++) Pfn(ref _m.FreeStack[i]);
        if (!_b.Reading)
        {
            // Allocated frames nothing refers to (a leak): named last, by number.
            for (int pfn = 0; pfn < _m.FrameCount; pfn++) Name(pfn);
        }
        for (int k = 0; k < _m.FrameCount; k++) FrameFields(k);
    }

    private int SwapSlotsInUse()
    {
        int n = _m.SwapSlots;
        while (n > 0 && !_m.SwapUsed[n - 1] && _m.SwapCount[n - 1] == 0 && _m.SwapCacheFrame[n - 1] == -1) n--;
        return n;
    }

    /// <summary>
    /// A PTE (live, or an agent's copy): its kind, and the rest only when some bit or number is set
    /// (the high bit of the kind byte says which). Frame 0 is the zero page, always named 0, so an
    /// entry without a frame and one of the zero page without bits both read back as written.
    /// </summary>
    private void PteField(ref Pte p)
    {
        bool rest = !_b.Reading && (p.Writable || p.Dirty || p.Young || p.Pfn != Limits.ZeroPfn || p.Slot != 0);
        byte head = (byte)((byte)p.Kind | (rest ? 0x80 : 0));
        _b.U8(ref head);
        p.Kind = (PteKind)(head & 0x7f);
        if ((head & 0x80) == 0)
        {
            if (_b.Reading) p = new Pte { Kind = p.Kind, Pfn = Limits.ZeroPfn };
            return;
        }
        _b.Bool(ref p.Writable);
        _b.Bool(ref p.Dirty);
        _b.Bool(ref p.Young);
        Pfn(ref p.Pfn);
        _b.Short(ref p.Slot);
    }

    private void MmStateFields(ref MmState s)
    {
        _b.Bool(ref s.Exists);
        _b.Bool(ref s.Running);
        _b.U8(ref s.MmapReaders);
        _b.U8(ref s.MmapWriter);
        _b.Short(ref s.TlbFlushPending);
        _b.Int(ref s.TlbFlushBatched);
        _b.Short(ref s.NotifierRanges);
        _b.Bool(ref s.ForkInProgress);
    }

    /// <summary>A TLB or ATC entry; an invalid one is only its valid bit (nothing reads the rest before a fill rewrites it).</summary>
    private void Cached(ref TlbEntry e, int group)
    {
        _b.Bool(ref e.Valid);
        if (!e.Valid)
        {
            if (_b.Reading) e = default;
            return;
        }
        _b.Bool(ref e.Writable);
        _b.Bool(ref e.Dirty);
        Pfn(ref e.Pfn);
        Generation(ref e.Generation, e.Pfn);
        Version(ref e.PteVersion, group);
        if (_b.Reading) e.FillTick = 0;
    }

    /// <summary>
    /// A frame's own fields, in name order. Its generation is not written (see the class comment);
    /// a free frame's write bookkeeping only when an agent's copy still names it as its source
    /// (every other read of a free frame is a use-after-free, which ends the search's path, and
    /// allocation resets it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FrameFields(int name)
    {
        int pfn = _b.Reading || !_rename ? name : _byName[name];
        ref Frame f = ref _m.Frames[pfn];
        _b.Int(ref f.Content);
        _b.Short(ref f.RefCount);
        _b.Short(ref f.MapCount);
        byte flags = (byte)f.Flags;
        _b.U8(ref flags);
        f.Flags = (FrameFlags)flags;
        _b.U8(ref f.LockedBy);
        _b.Short(ref f.SwapSlot);
        _b.Bool(ref f.Retired);
        bool writes = !f.IsFree || CopySource(pfn);
        _b.Bool(ref writes);
        if (writes)
        {
            _b.Int(ref f.WriteSeq);
            _b.Int(ref f.SwapSeq);
            _b.Short(ref f.LastWriter);
        }
        if (!_b.Reading) return;
        if (!writes)
        {
            f.WriteSeq = 0;
            f.SwapSeq = -1;
            f.LastWriter = -1;
        }
        f.Generation = CanonicalGeneration(pfn);
        f.LastWriteTick = 0;
    }

    private bool CopySource(int pfn)
    {
        for (int ai = 0; ai < _s.Agents.Length; ai++)
        {
            if (_s.Agents[ai].InOp && _s.Agents[ai].Ctx.CopySrc == pfn) return true;
        }
        return false;
    }

    private static int CanonicalGeneration(int pfn) => pfn == Limits.ZeroPfn ? 1 : 2;

    /// <summary>A generation some translation or pin remembers: one bit, whether its frame is still that allocation.</summary>
    private void Generation(ref int generation, int pfn)
    {
        bool current = pfn >= 0 && pfn < _m.FrameCount && generation == _m.Frames[pfn].Generation;
        _b.Bool(ref current);
        if (_b.Reading) generation = current ? CanonicalGeneration(pfn) : 0;
    }

    private void StartNames()
    {
        Array.Fill(_name, (short)-1);
        _named = 0;
        Name(Limits.ZeroPfn);
    }

    private int Name(int pfn)
    {
        if (!_rename) return pfn;
        if (_name[pfn] < 0)
        {
            _name[pfn] = (short)_named;
            _byName[_named++] = (short)pfn;
        }
        return _name[pfn];
    }

    private void Pfn(ref short pfn)
    {
        int v = pfn;
        Pfn(ref v);
        pfn = (short)v;
    }

    private void Pfn(ref int pfn)
    {
        if (_b.Reading)
        {
            pfn = _b.Take();
            return;
        }
        _b.Put(pfn < 0 || pfn >= _m.FrameCount ? pfn : Name(pfn));
    }
}
