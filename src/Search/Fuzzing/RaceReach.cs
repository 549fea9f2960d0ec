using Fuzz.Model.Scenarios;

namespace Fuzz.Search.Fuzzing;

/// <summary>
/// Which pairs of operation kinds the generated scenarios can overlap at all, so that race coverage
/// counts against what is reachable, and a pair never seen stands out as a gap in the generator.
/// </summary>
public static class RaceReach
{
    /// <summary>Null when the two kinds can overlap, else why they cannot.</summary>
    public static string? Unreachable(OpKind a, OpKind b)
    {
        if (!OpKinds.CanOverlap(a, b)) return "one agent runs both";
        if (a == OpKind.Fork && b == OpKind.Fork) return "one fork per scenario (the model has two mms)";
        if ((a, b) is (OpKind.Fork, OpKind.OdirectRead) or (OpKind.OdirectRead, OpKind.Fork))
            return "open(2): O_DIRECT must not run concurrently with fork, so the generator never mixes them";
        return null;
    }

    public static bool Reachable(OpKind a, OpKind b) => Unreachable(a, b) is null;
}
