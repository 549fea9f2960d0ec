using Fuzz.Model.Oracles;

namespace Fuzz.Search.Verification;

/// <summary>What the search of one scenario of a scope gave (a line of a verify directory's results.txt).</summary>
public sealed record ScenarioResult(int Index, ExploreVerdict Verdict, long States, long Transitions, long Pruned, int Depth, int Ops)
{
    /// <summary>Peak bytes of this scenario's search (not kept in results.txt).</summary>
    public long PeakBytes { get; init; }
    /// <summary>Bytes kept per state seen (visited set and parent links), for the memory figure (not kept in results.txt).</summary>
    public double BytesPerState { get; init; }
    public OracleId Oracle { get; init; }
    public ViolationCode Code { get; init; }
    /// <summary>For a violation: the schedule, as the scenario format writes it.</summary>
    public string Schedule { get; init; } = "";
    public string Reason { get; init; } = "";

    public string Write() =>
        $"result {Index} {Verdict.ToString().ToLowerInvariant()} {States} {Transitions} {Pruned} {Depth} {Ops}" +
        (Verdict == ExploreVerdict.Violation ? $" {OracleNames.Name(Oracle)} {Code} {Schedule}" : "") +
        (Verdict == ExploreVerdict.Limit ? $" {Reason}" : "");

    public static ScenarioResult? Parse(string[] w)
    {
        if (w.Length < 8 || w[0] != "result") return null;
        if (!int.TryParse(w[1], out int index) || !Enum.TryParse(w[2], ignoreCase: true, out ExploreVerdict verdict)) return null;
        if (!long.TryParse(w[3], out long states) || !long.TryParse(w[4], out long transitions) || !long.TryParse(w[5], out long pruned)
            || !int.TryParse(w[6], out int depth) || !int.TryParse(w[7], out int ops)) return null;
        var r = new ScenarioResult(index, verdict, states, transitions, pruned, depth, ops);
        if (verdict == ExploreVerdict.Violation)
        {
            if (w.Length < 10 || !OracleNames.TryParse(w[8], out OracleId o) || !Enum.TryParse(w[9], out ViolationCode code)) return null;
            return r with { Oracle = o, Code = code, Schedule = string.Join(' ', w[10..]) };
        }
        return verdict == ExploreVerdict.Limit ? r with { Reason = string.Join(' ', w[8..]) } : r;
    }

    /// <summary>Which counterexample is smaller: fewer operations, then fewer steps, then earlier in the scope.</summary>
    public static bool Smaller(ScenarioResult a, ScenarioResult b) =>
        (a.Ops, a.Depth, a.Index).CompareTo((b.Ops, b.Depth, b.Index)) < 0;
}
