using Fuzz.Model.Simulation;

namespace Fuzz.Search.Verification;

/// <summary>How one scenario's interleavings are explored.</summary>
public sealed record ExploreOptions
{
    public SimOptions Sim { get; init; } = SimOptions.Default;
    /// <summary>Sleep sets: an action covered by an independent sibling explored first is not taken again.</summary>
    public bool Reduce { get; init; } = true;
    /// <summary>States equal up to the names of frames are one state.</summary>
    public bool RenameFrames { get; init; } = true;
    /// <summary>Only paths of at most this many actions (a counterexample longer than one already found elsewhere is not wanted).</summary>
    public int MaxDepth { get; init; } = int.MaxValue;
    /// <summary>Give up (verdict Limit) after this many distinct states.</summary>
    public long MaxStates { get; init; } = 200_000_000;
    /// <summary>Go on after a violation and record every kind of violation reachable, with the depth it is first reached at (tests).</summary>
    public bool AllViolations { get; init; }
    /// <summary>
    /// At most this many preemptions on a path (null: any number): a preemption is an agent step
    /// taken while the agent that took the last agent step could still take one (CHESS's iterative
    /// context bounding, Musuvathi and Qadeer, PLDI 2007). Switching when that agent is blocked or
    /// done is free, and hardware actions (fills, evictions, ATS, the IOMMU) are free and go
    /// anywhere. The search is then complete over those paths only, and its counterexample the
    /// shortest among them.
    /// </summary>
    public int? Preemptions { get; init; }
    /// <summary>Keep the depth of every state by fingerprint (tests).</summary>
    public bool RecordStates { get; init; }
}
