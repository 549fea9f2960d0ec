using System.Globalization;
using Fuzz.Formats.Text;
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

    private static readonly string[] Keys = ["oracle", "worker", "seed", "after-scenarios", "after-ms", "shrink-ms", "ops", "shrunk-ops", "steps", "cause"];

    /// <summary>The most ticks a run takes (the simulator's tick limit).</summary>
    private const long ScenarioLimitsTicks = 1_000_000;

    /// <summary>
    /// Parse the words after "finding" at <paramref name="line"/> of <paramref name="file"/>: a file
    /// name in findings/ (no directory: the index cannot point outside it), then known key/value
    /// pairs, each once and within range (-1: not known, as for a finding recovered without its
    /// index entry).
    /// </summary>
    public static FindingRecord Parse(string[] w, string file, int line)
    {
        FileFormatException Err(string reason) => new(file, line, reason);
        if (w.Length == 0) throw Err("write 'finding FILE.scenario oracle NAME worker N seed S ...'");
        string name = w[0];
        if (!IsPlainName(name)) throw Err($"'{Token.Show(name)}' is not the name of a .scenario file in findings/");
        if (w.Length % 2 != 1) throw Err("after the file name, keys and values come in pairs");
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i + 1 < w.Length; i += 2)
        {
            if (!Keys.Contains(w[i])) throw Err($"unknown key '{Token.Show(w[i])}' (keys: {string.Join(", ", Keys)})");
            if (!d.TryAdd(w[i], w[i + 1])) throw Err($"'{w[i]}' is given twice");
        }
        if (!d.TryGetValue("oracle", out string? o) || !OracleNames.TryParse(o, out OracleId oracle))
            throw Err($"a finding names its oracle ({OracleNames.AllNames})");
        long L(string key, long max)
        {
            if (!d.TryGetValue(key, out string? v)) return -1;
            if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) || n < -1 || n > max)
                throw Err($"'{key}' takes a whole number from -1 to {max}, not '{Token.Show(v)}'");
            return n;
        }
        ulong seed = 0;
        if (d.TryGetValue("seed", out string? s) && !Seeds.TryParse(s, out seed)) throw Err($"'seed' takes a hexadecimal seed, not '{Token.Show(s)}'");
        IReadOnlyList<string>? cause = null;
        if (d.TryGetValue("cause", out string? c) && (cause = ParseCause(c)) is null)
            throw Err($"'cause' takes comma-separated hexadecimal parts, not '{Token.Show(c)}'");
        return new FindingRecord(name, oracle, (int)L("worker", CampaignLimits.MaxMergedWorkers - 1), seed,
            L("after-scenarios", CampaignLimits.MaxTotal), L("after-ms", CampaignLimits.MaxElapsedMs), L("shrink-ms", CampaignLimits.MaxElapsedMs),
            (int)L("ops", 1000), (int)L("shrunk-ops", 1000))
        {
            Steps = (int)L("steps", ScenarioLimitsTicks),
            Cause = cause,
        };
    }

    /// <summary>A file name the index may list: X.scenario, no directory part, not hidden.</summary>
    public static bool IsPlainName(string name) =>
        name.EndsWith(".scenario", StringComparison.Ordinal) && name.Length > ".scenario".Length && !name.StartsWith('.')
        && name.IndexOfAny(['/', '\\']) < 0;
}
