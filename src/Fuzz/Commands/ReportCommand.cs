
using Fuzz.Campaigns.Report;
using Fuzz.Campaigns;

namespace Fuzz.Commands;

/// <summary>fuzz report DIR: redraw a campaign's report.html from its files (also while it runs).</summary>
internal static class ReportCommand
{
    public const string Usage = """
        report DIR
            Redraw a campaign's report.html (also while the campaign runs).
        """;

    public static int Run(CliArgs args)
    {
        IReadOnlyList<string> p = args.Positionals();
        if (p.Count != 1) throw new UsageException("report takes one campaign directory");
        string path = CampaignReport.Write(new CampaignDirectory(p[0]));
        Console.WriteLine($"report: {path}");
        return 0;
    }
}
