
using Fuzz.Campaigns.Report;
using Fuzz.Campaigns;
using Fuzz.Search.Verification;

namespace Fuzz.Commands;

/// <summary>
/// fuzz merge OUT DIR...: the shards of a campaign (or campaigns of the same kernel, seed and space)
/// as one; or the shards of a verify run as one verify directory.
/// </summary>
internal static class MergeCommand
{
    public const string Usage = """
        merge OUT DIR...
            Merge the disjoint shards of one campaign (same kernel, seed, settings and oracle,
            --shard i/n of one n) into OUT, a new or empty directory; or the shards of
            one 'fuzz verify' run. Exit 1 when the merged campaign holds a failure.
        """;

    public static int Run(CliArgs args)
    {
        IReadOnlyList<string> p = args.Positionals();
        if (p.Count < 2) throw new UsageException("merge takes an output directory and one or more campaign (or verify) directories");
        var inputs = p.Skip(1).ToList();
        if (inputs.All(VerifyDirectory.IsVerifyDirectory))
        {
            VerifyDirectory v = VerifyMerge.Merge(p[0], inputs);
            var results = v.LoadResults();
            Console.WriteLine($"merged {inputs.Count} verify run(s) into {v.Root}: {results.Count:N0} scenarios searched, {results.Sum(r => r.States):N0} states, " +
                $"{results.Count(r => r.Verdict == ExploreVerdict.Violation)} with a violation");
            Console.WriteLine($"the verdict: dotnet run --project src/Fuzz -c Release -- verify --resume {v.Root}");
            return results.Any(r => r.Verdict == ExploreVerdict.Violation) ? 1 : 0;
        }
        if (inputs.Any(VerifyDirectory.IsVerifyDirectory)) throw new UsageException("merge takes campaign directories or verify directories, not both");
        CampaignDirectory merged = CampaignMerge.Merge(p[0], inputs);
        string report = CampaignReport.Write(merged);
        int findings = merged.LoadIndex().Count;
        long scenarios = merged.LoadCheckpoints().Sum(c => c.Done);
        Console.WriteLine($"merged {inputs.Count} campaign(s) into {merged.Root}: {scenarios:N0} scenarios, {findings} distinct failure(s)");
        Console.WriteLine($"report: {report}");
        return findings == 0 ? 0 : 1;
    }
}
