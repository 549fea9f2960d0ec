using System.Globalization;
using Fuzz.Generators;
using Fuzz.Model.Oracles;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Campaigns;

/// <summary>One distinct failure of a campaign as findings/index.txt lists it: its file and how it was found.</summary>
public sealed record FindingRecord(
    string File,
    OracleId Oracle,
    int Worker,
    ulong ScenarioSeed,
    long FoundAfterScenarios,
    long FoundAfterMs,
    long ShrinkMs,
    int OriginalOps,
    int ShrunkOps)
{
    /// <summary>Ticks the shrunk scenario takes (-1: not recorded; an index written before causes were).</summary>
    public int Steps { get; init; } = -1;

    /// <summary>What its root cause is made of (<see cref="CauseSignature"/> parts); null when not recorded.</summary>
    public IReadOnlyList<string>? Cause { get; init; }

    public string Write() =>
        string.Create(CultureInfo.InvariantCulture,
            $"finding {File} oracle {OracleNames.Name(Oracle)} worker {Worker} seed {Seeds.Format(ScenarioSeed)} after-scenarios {FoundAfterScenarios} after-ms {FoundAfterMs} shrink-ms {ShrinkMs} ops {OriginalOps} shrunk-ops {ShrunkOps}")
        + (Steps >= 0 ? string.Create(CultureInfo.InvariantCulture, $" steps {Steps}") : "")
        + (Cause is { Count: > 0 } c ? $" cause {string.Join(',', c)}" : "");

    /// <summary>The value of 'cause': comma-separated hex parts; null if malformed.</summary>
    public static IReadOnlyList<string>? ParseCause(string value)
    {
        string[] parts = value.Split(',');
        return parts.All(p => p.Length > 0 && p.All(Uri.IsHexDigit)) ? parts : null;
    }

    /// <summary>Parse the words after "finding"; null if the line is not understood.</summary>
    public static FindingRecord? Parse(string[] w)
    {
        if (w.Length < 1) return null;
        var d = new Dictionary<string, string>();
        for (int i = 1; i + 1 < w.Length; i += 2) d[w[i]] = w[i + 1];
        if (!d.TryGetValue("oracle", out string? o) || !OracleNames.TryParse(o, out OracleId oracle)) return null;
        long L(string k) => d.TryGetValue(k, out string? v) && long.TryParse(v, out long n) ? n : -1;
        ulong seed = d.TryGetValue("seed", out string? s) && Seeds.TryParse(s, out ulong x) ? x : 0;
        IReadOnlyList<string>? cause = null;
        if (d.TryGetValue("cause", out string? c) && (cause = ParseCause(c)) is null) return null;
        return new FindingRecord(w[0], oracle, (int)L("worker"), seed, L("after-scenarios"), L("after-ms"), L("shrink-ms"), (int)L("ops"), (int)L("shrunk-ops"))
        {
            Steps = (int)L("steps"),
            Cause = cause,
        };
    }
}
