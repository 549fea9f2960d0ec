using Fuzz.Model.Oracles;
using Fuzz.Model.Scheduling;

namespace Fuzz.Search.Verification;

public enum ExploreVerdict : byte
{
    /// <summary>Every interleaving (up to the depth bound) explored, no violation.</summary>
    Complete,
    /// <summary>No violation on any path of at most the depth bound; longer paths were not explored.</summary>
    Bounded,
    /// <summary>A violation; <see cref="ExploreResult.Path"/> is a shortest schedule to it.</summary>
    Violation,
    /// <summary>The state budget or a bound of the model was reached: nothing is proved.</summary>
    Limit,
    /// <summary>Stopped from outside.</summary>
    Cancelled,
}

/// <summary>A violation kind the search reached, and the fewest actions it takes.</summary>
public readonly record struct ReachedViolation(OracleId Oracle, ViolationCode Code, int Depth);

/// <summary>What exploring one scenario gave.</summary>
public sealed record ExploreResult
{
    public ExploreVerdict Verdict { get; init; }
    /// <summary>The shortest schedule to the first violation found, in breadth-first order.</summary>
    public IReadOnlyList<SchedAction> Path { get; init; } = [];
    public OracleId Oracle { get; init; }
    public ViolationCode Code { get; init; }
    /// <summary>Distinct states (terminal ones included).</summary>
    public long States { get; init; }
    /// <summary>Actions executed (a state reached again costs one, which the reduction saves).</summary>
    public long Transitions { get; init; }
    /// <summary>Enabled actions not taken: asleep, or hardware left out where only agent steps matter.</summary>
    public long Pruned { get; init; }
    /// <summary>The (recipe, step) pairs that ran.</summary>
    public StepCoverage Coverage { get; init; } = new();
    /// <summary>The deepest level expanded.</summary>
    public int Depth { get; init; }
    /// <summary>Peak bytes of the visited set, the parent links and the widest level.</summary>
    public long PeakBytes { get; init; }
    /// <summary>Bytes the search keeps for every state it has seen: the visited set's slot and the parent link.</summary>
    public double BytesPerState { get; init; }
    public string? LimitReason { get; init; }
    public IReadOnlyList<ReachedViolation> Reached { get; init; } = [];
    public IReadOnlyDictionary<UInt128, int>? StateDepths { get; init; }
}
