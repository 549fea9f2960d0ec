using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Verification;

/// <summary>How the state key treats a field of the simulator's state.</summary>
public enum FieldRole : byte
{
    /// <summary>Written as it is.</summary>
    Encoded,
    /// <summary>Written in a canonical form (frames renamed, generations as bits, versions as ranks).</summary>
    Canonical,
    /// <summary>Written only where it can still be read (see the reason).</summary>
    WhereLive,
    /// <summary>Fixed for the scenario: set when the simulator is built, never changed by a step.</summary>
    Constant,
    /// <summary>Not part of the state: cannot influence any future step or verdict (see the reason).</summary>
    Excluded,
}

/// <summary>
/// Every field of the state structures, with what <see cref="StateCodec"/> does with it. A test
/// compares this list with the fields the types actually have (by reflection): a field added to
/// the machine, an agent or the monitor fails the test until it is listed here and, if it is part
/// of the state, visited by the codec.
/// </summary>
public static class StateFields
{
    public static readonly IReadOnlyList<(Type Type, string Field, FieldRole Role, string Why)> All =
    [
        (typeof(MachineState), "Cpus", FieldRole.Constant, ""),
        (typeof(MachineState), "Mms", FieldRole.Constant, ""),
        (typeof(MachineState), "Pages", FieldRole.Constant, ""),
        (typeof(MachineState), "Tables", FieldRole.Constant, ""),
        (typeof(MachineState), "SecondTable", FieldRole.Constant, ""),
        (typeof(MachineState), "PtlOwner", FieldRole.Encoded, ""),
        (typeof(MachineState), "Iotlb", FieldRole.Canonical, "as the TLBs: valid entries only, frame renamed, generation as a bit, version as a rank"),
        (typeof(MachineState), "Ats", FieldRole.WhereLive, "outstanding requests only (a free slot is rewritten whole by the next request); the answer as a cached entry"),
        (typeof(MachineState), "IommuQueue", FieldRole.WhereLive, "the packed entries before the first None"),
        (typeof(MachineState), "IoQueue", FieldRole.Canonical, "the bios in flight, oldest first from the head; frame renamed, generation as a bit"),
        (typeof(MachineState), "IoHead", FieldRole.Canonical, "not written: decoding puts the oldest bio at 0 (where the ring starts changes no future)"),
        (typeof(MachineState), "IoCount", FieldRole.Encoded, ""),
        (typeof(MachineState), "FrameCount", FieldRole.Constant, ""),
        (typeof(MachineState), "SwapSlots", FieldRole.Constant, ""),
        (typeof(MachineState), "Frames", FieldRole.Canonical, "in order of the frames' new names"),
        (typeof(MachineState), "FreeStack", FieldRole.Canonical, "frames renamed, order kept"),
        (typeof(MachineState), "FreeCount", FieldRole.Encoded, ""),
        (typeof(MachineState), "PageTable", FieldRole.Encoded, ""),
        (typeof(MachineState), "PteVersion", FieldRole.Canonical, "rank among the versions in use for the page"),
        (typeof(MachineState), "MmStates", FieldRole.Encoded, ""),
        (typeof(MachineState), "Tlb", FieldRole.Encoded, ""),
        (typeof(MachineState), "IommuMm", FieldRole.Encoded, ""),
        (typeof(MachineState), "Atc", FieldRole.Encoded, ""),
        (typeof(MachineState), "SwapContent", FieldRole.WhereLive, "only for slots in use: get_swap_page() clears a slot it hands out"),
        (typeof(MachineState), "SwapCount", FieldRole.Encoded, ""),
        (typeof(MachineState), "SwapCacheFrame", FieldRole.Canonical, "frame renamed"),
        (typeof(MachineState), "SwapUsed", FieldRole.Encoded, ""),
        (typeof(MachineState), "PriQueued", FieldRole.Encoded, ""),
        (typeof(MachineState), "PriResponded", FieldRole.Encoded, ""),
        (typeof(MachineState), "PriVa", FieldRole.Encoded, ""),
        (typeof(MachineState), "PriWrite", FieldRole.Encoded, ""),

        (typeof(Frame), "Content", FieldRole.Encoded, ""),
        (typeof(Frame), "RefCount", FieldRole.Encoded, ""),
        (typeof(Frame), "MapCount", FieldRole.Encoded, ""),
        (typeof(Frame), "Flags", FieldRole.Encoded, ""),
        (typeof(Frame), "LockedBy", FieldRole.Encoded, ""),
        (typeof(Frame), "SwapSlot", FieldRole.Encoded, ""),
        (typeof(Frame), "Generation", FieldRole.Canonical, "only compared with what translations and pins remember: one bit each"),
        (typeof(Frame), "WriteSeq", FieldRole.WhereLive, "allocated frames, and free ones a copy still names as its source (allocation resets it; any other read of a free frame is a use-after-free, which ends the path)"),
        (typeof(Frame), "SwapSeq", FieldRole.WhereLive, "as WriteSeq (compared only with the frame's own WriteSeq by the lost-write check at writeback)"),
        (typeof(Frame), "LastWriteTick", FieldRole.Excluded, "a tick, for reports"),
        (typeof(Frame), "LastWriter", FieldRole.WhereLive, "as WriteSeq (the lost-write oracle asks whether the last writer was another process's CPU)"),
        (typeof(Frame), "Retired", FieldRole.Encoded, ""),

        (typeof(Pte), "Kind", FieldRole.Encoded, ""),
        (typeof(Pte), "Writable", FieldRole.Encoded, ""),
        (typeof(Pte), "Dirty", FieldRole.Encoded, ""),
        (typeof(Pte), "Young", FieldRole.Encoded, ""),
        (typeof(Pte), "Pfn", FieldRole.Canonical, "frame renamed"),
        (typeof(Pte), "Slot", FieldRole.Encoded, ""),

        (typeof(TlbEntry), "Valid", FieldRole.Encoded, ""),
        (typeof(TlbEntry), "Writable", FieldRole.WhereLive, "valid entries (a fill rewrites an invalid one before anything reads it)"),
        (typeof(TlbEntry), "Dirty", FieldRole.WhereLive, "valid entries"),
        (typeof(TlbEntry), "Pfn", FieldRole.Canonical, "valid entries, frame renamed"),
        (typeof(TlbEntry), "Generation", FieldRole.Canonical, "valid entries: whether the frame is still that allocation"),
        (typeof(TlbEntry), "PteVersion", FieldRole.Canonical, "valid entries: rank among the page's versions"),
        (typeof(TlbEntry), "FillTick", FieldRole.Excluded, "a tick, for reports"),

        (typeof(MmState), "Exists", FieldRole.Encoded, ""),
        (typeof(MmState), "Running", FieldRole.Encoded, ""),
        (typeof(MmState), "MmapReaders", FieldRole.Encoded, ""),
        (typeof(MmState), "MmapWriter", FieldRole.Encoded, ""),
        (typeof(MmState), "TlbFlushPending", FieldRole.Encoded, ""),
        (typeof(MmState), "TlbFlushBatched", FieldRole.Encoded, ""),
        (typeof(MmState), "NotifierRanges", FieldRole.Encoded, ""),
        (typeof(MmState), "ForkInProgress", FieldRole.Encoded, ""),

        (typeof(AgentState), "Kind", FieldRole.Constant, ""),
        (typeof(AgentState), "Mm", FieldRole.Constant, ""),
        (typeof(AgentState), "OpFirst", FieldRole.Constant, ""),
        (typeof(AgentState), "OpCount", FieldRole.Constant, ""),
        (typeof(AgentState), "NextOp", FieldRole.Encoded, ""),
        (typeof(AgentState), "InOp", FieldRole.Encoded, ""),
        (typeof(AgentState), "Started", FieldRole.Encoded, ""),
        (typeof(AgentState), "CurOp", FieldRole.Encoded, ""),
        (typeof(AgentState), "CallTick", FieldRole.Excluded, "a tick, for reports"),
        (typeof(AgentState), "HistoryFirst", FieldRole.Excluded, "where the history keeps the running operation's entries: decoding rebuilds the pending entries from the monitor"),
        (typeof(AgentState), "HistoryCount", FieldRole.Excluded, "as HistoryFirst"),
        (typeof(AgentState), "Stack", FieldRole.WhereLive, "frames below Depth"),
        (typeof(AgentState), "Depth", FieldRole.Encoded, ""),
        (typeof(AgentState), "PendingCall", FieldRole.Encoded, ""),
        (typeof(AgentState), "Ctx", FieldRole.WhereLive, "all of it during an operation; between operations only the mmap_sem read holds and the pin, which outlive one"),
        (typeof(AgentState), "Halted", FieldRole.Encoded, ""),

        (typeof(CallFrame), "Recipe", FieldRole.Encoded, ""),
        (typeof(CallFrame), "Pc", FieldRole.Encoded, ""),

        (typeof(LinConfig), "R", FieldRole.Encoded, "registers and stale views"),
        (typeof(LinConfig), "Done", FieldRole.Encoded, ""),
        (typeof(LinConfig), "Masks", FieldRole.WhereLive, "for the pending reads"),
        (typeof(PendingEvent), "Active", FieldRole.Encoded, ""),
        (typeof(PendingEvent), "Kind", FieldRole.WhereLive, "active entries"),
        (typeof(PendingEvent), "Mm", FieldRole.WhereLive, "active entries"),
        (typeof(PendingEvent), "Value", FieldRole.WhereLive, "active entries"),
        (typeof(PendingEvent), "History", FieldRole.Excluded, "an index into the history, which decoding rebuilds"),
        (typeof(PendingEvent), "Op", FieldRole.WhereLive, "active entries"),
    ];

    /// <summary>Fields of <see cref="OpContext"/>: all are written during an operation, frames renamed, generations and versions as relations.</summary>
    public static readonly IReadOnlyDictionary<string, FieldRole> Context = new Dictionary<string, FieldRole>
    {
        ["Mm"] = FieldRole.Encoded, ["ChildMm"] = FieldRole.Encoded, ["Va"] = FieldRole.Encoded,
        ["RangeFirst"] = FieldRole.Encoded, ["RangeLast"] = FieldRole.Encoded, ["Write"] = FieldRole.Encoded,
        ["Value"] = FieldRole.Encoded, ["OrigPte"] = FieldRole.Canonical, ["NewEntry"] = FieldRole.Canonical,
        ["OldPfn"] = FieldRole.Canonical, ["NewPfn"] = FieldRole.Canonical, ["CopySeq"] = FieldRole.Encoded,
        ["Mm2"] = FieldRole.Encoded, ["Va2"] = FieldRole.Encoded, ["TreePfn"] = FieldRole.Canonical,
        ["KPfn"] = FieldRole.Canonical, ["TargetPfn"] = FieldRole.Canonical, ["Moved"] = FieldRole.Encoded,
        ["PinPfn"] = FieldRole.Canonical, ["PinGen"] = FieldRole.Canonical, ["PteVal"] = FieldRole.Canonical,
        ["WritebackSlot"] = FieldRole.Encoded, ["CopyDst"] = FieldRole.Canonical, ["UbcPending"] = FieldRole.Encoded,
        ["UbcWritable"] = FieldRole.Encoded, ["UbcMms"] = FieldRole.Encoded, ["GatherFirst"] = FieldRole.Encoded,
        ["GatherLast"] = FieldRole.Encoded, ["GatherPages"] = FieldRole.WhereLive, ["GatherCount"] = FieldRole.Encoded,
        ["InGather"] = FieldRole.Encoded, ["MmapReadHeld"] = FieldRole.Encoded, ["CopySrc"] = FieldRole.Canonical,
        ["ClearedPfn"] = FieldRole.Canonical, ["Seen"] = FieldRole.WhereLive, ["Faults"] = FieldRole.Encoded,
        ["SliceFirst"] = FieldRole.Encoded, ["SliceLast"] = FieldRole.Encoded, ["FaultWrite"] = FieldRole.Encoded,
        ["BreakPfn"] = FieldRole.Canonical, ["BatchSnapshot"] = FieldRole.Encoded, ["Young"] = FieldRole.Encoded,
        ["Referenced"] = FieldRole.Encoded, ["PageWasAllocated"] = FieldRole.Encoded, ["AllowRetry"] = FieldRole.Encoded,
        ["Bio"] = FieldRole.Canonical, ["NotifyFirst"] = FieldRole.Encoded, ["NotifyLast"] = FieldRole.Encoded,
    };

    /// <summary>Simulator fields that are not the state the codec encodes (the machine and agents are above).</summary>
    public static readonly IReadOnlyDictionary<string, string> SimulatorOutside = new Dictionary<string, string>
    {
        ["<Kernel>k__BackingField"] = "the kernel: fixed", ["<Scenario>k__BackingField"] = "the scenario: fixed",
        ["<Options>k__BackingField"] = "fixed", ["<M>k__BackingField"] = "the machine (above)", ["Agents"] = "the agents (above)",
        ["AgentNames"] = "fixed", ["DeviceAgent"] = "fixed", ["WorkerAgent"] = "fixed", ["IommuAgent"] = "fixed", ["DiskAgent"] = "fixed", ["Ops"] = "fixed", ["OpAgent"] = "fixed",
        ["FaultLimit"] = "fixed", ["OpCall"] = "ticks, for reports and the normaliser", ["OpReturn"] = "ticks, for reports",
        ["OracleChecks"] = "statistics", ["StepHits"] = "statistics", ["InitialPages"] = "fixed", ["_agentMm"] = "fixed",
        ["_agentKind"] = "fixed", ["<Layout>k__BackingField"] = "fixed", ["Forks"] = "fixed", ["Trace"] = "what the last action did: cleared at every restore",
        ["History"] = "the register history: its verdict-relevant part is the monitor's state", ["Violations"] = "a violation ends the path: a stored state has none",
        ["Tick"] = "the clock, for reports", ["<Deadlocked>k__BackingField"] = "set by the end-of-run check of a terminal state", ["_enabled"] = "scratch",
    };
}
