using System.Text;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;

namespace Fuzz.Formats.Scenarios;

/// <summary>A stable content hash of a scenario (FNV-1a 64 of its canonical text without comments or verdicts).</summary>
public static class ScenarioHash
{
    public static string Body(Scenario s) => ScenarioWriter.Write(s with { Comments = [], Expect = null, ExpectUnder = [] });

    /// <summary>What makes two failures the same: the oracle plus the canonical scenario.</summary>
    public static string FailureKey(OracleId oracle, Scenario s) => OracleNames.Name(oracle) + "\n" + Body(s);

    public static ulong Of(Scenario s) => Fnv1a(Body(s));

    /// <summary>FNV-1a 64 of the text's UTF-8 bytes: stable across runs and machines, unlike string.GetHashCode.</summary>
    public static ulong Fnv1a(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        return h;
    }

    public static string Short(Scenario s) => Of(s).ToString("x16")[..8];
}
