
using Fuzz.Campaigns.Report;
using Fuzz.Campaigns;

namespace Fuzz.Commands;

/// <summary>fuzz merge OUT DIR...: the shards of a campaign (or campaigns of the same kernel, seed and space) as one.</summary>
internal static class MergeCommand
{
    public const string Usage = """
        merge OUT DIR...
            Merge the disjoint shards of one campaign (same kernel, seed, settings and oracle,
            --shard i/n of one n) into OUT, a new or empty directory. Exit 1 when the merged
            campaign holds a failure.
        """;

    public static int Run(CliArgs args)
    {
        IReadOnlyList<string> p = args.Positionals();
        if (p.Count < 2) throw new UsageException("merge takes an output directory and one or more campaign directories");
        CampaignDirectory merged = CampaignMerge.Merge(p[0], p.Skip(1).ToList());
        string report = CampaignReport.Write(merged);
        int findings = merged.LoadIndex().Count;
        long scenarios = merged.LoadCheckpoints().Sum(c => c.Done);
        Console.WriteLine($"merged {p.Count - 1} campaign(s) into {merged.Root}: {scenarios:N0} scenarios, {findings} distinct failure(s)");
        Console.WriteLine($"report: {report}");
        return findings == 0 ? 0 : 1;
    }
}
