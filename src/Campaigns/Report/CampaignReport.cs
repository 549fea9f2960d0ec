using System.Text;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Model.Variants;
using Fuzz.Reporting.Html;
using Fuzz.Reporting.Text;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Campaigns.Report;

/// <summary>
/// The campaign's report.html: a static page (no script, no server) with the summary, one card per
/// root cause (<see cref="CauseCards"/>), race coverage, throughput and memory over time, oracle
/// checks and the steps never run. Laid out for a reviewer's screen: nothing scrolls sideways.
/// </summary>
public static class CampaignReport
{
    public static string Write(CampaignDirectory dir)
    {
        string html = Render(dir);
        AtomicFile.Write(dir.ReportPath, html);
        return dir.ReportPath;
    }

    public static string Render(CampaignDirectory dir)
    {
        CampaignManifest m = dir.LoadManifest();
        IReadOnlyList<WorkerCheckpoint> workers = dir.LoadCheckpoints();
        var stats = new FuzzStats();
        foreach (WorkerCheckpoint w in workers) stats.Add(w.Stats);
        CampaignTimeline timeline = CampaignTimeline.Load(dir.TimelinePath);
        List<FindingRecord> findings = dir.LoadIndex().Select(r => CampaignCauses.Complete(dir, r)).ToList();
        int causes = CampaignCauses.Group(findings).Count;
        string kernelText = KernelDescription(m, dir);

        var elapsed = TimeSpan.FromMilliseconds(Math.Max(timeline.LastElapsedMs, workers.Count == 0 ? 0 : workers.Max(w => w.ElapsedMs)));
        double perSecond = stats.Scenarios / Math.Max(1e-9, elapsed.TotalSeconds);
        long peak = timeline.Samples.Count == 0 ? 0 : timeline.Samples.Max(s => s.PeakWorkingSet);

        var b = new StringBuilder();
        b.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        b.Append($"<title>Fuzz campaign: {Html.E(m.Kernel)}</title><style>{Html.Style}{TraceTableHtml.Style}{CauseCards.Style}</style></head><body>");
        b.Append($"<header><h1>Fuzz campaign: {Html.E(m.Kernel)}</h1><div class=\"sub\">{Html.E(kernelText)} &middot; seed {Seeds.Format(m.Seed)} &middot; shard {m.Shard} &middot; {m.Workers} worker(s)");
        if (m.Created.Length > 0) b.Append($" &middot; started {Html.E(m.Created)}");
        if (m.MergedFrom.Count > 0) b.Append($" &middot; merged from {m.MergedFrom.Count} campaigns");
        b.Append("</div></header><main>");

        b.Append("<div class=\"cards\">");
        Card(b, findings.Count == 0 ? "good" : "bad", causes.ToString(), $"distinct failures ({findings.Count} shape{(findings.Count == 1 ? "" : "s")})");
        Card(b, "", Html.N(stats.Scenarios), "scenarios run");
        Card(b, "", Html.N((long)perSecond), "scenarios / s");
        Card(b, "", Html.N(stats.Ticks), "simulated steps");
        Card(b, "", Html.N((long)(stats.Ticks / Math.Max(1e-9, elapsed.TotalSeconds))), "steps / s");
        Card(b, "", Html.Duration(elapsed), "elapsed");
        Card(b, "", $"{stats.RacePairsSeen} / {FuzzStats.RacePairsPossible}", "operation pairs raced");
        if (peak > 0) Card(b, "", Html.Bytes(peak), "peak memory");
        b.Append("</div>");
        b.Append($"<p class=\"meta\">Budget: {Budget(m)}. Oracle: {(m.Oracle is { } o ? OracleNames.Name(o) : "any")}. Settings: {(m.Settings == GeneratorSettings.Default ? "default" : Html.E(string.Join(", ", m.Settings.Describe().Zip(GeneratorSettings.Default.Describe()).Where(p => p.First != p.Second).Select(p => p.First))))}.</p>");

        CauseCards.Render(b, dir, findings);

        b.Append("<h2>Race coverage</h2><p class=\"meta\">Runs in which operations of the two kinds overlapped in time on different agents (share of all scenarios); a pair that has not yet is red, one the generator cannot produce is a dash (hover for why).</p>");
        RaceMatrix(b, stats);

        b.Append("<h2>Throughput and memory</h2><div style=\"display:flex;gap:16px;flex-wrap:wrap\">");
        var rate = new List<(double, double)>();
        var mem = new List<(double, double)>();
        for (int i = 1; i < timeline.Samples.Count; i++)
        {
            var (p, c) = (timeline.Samples[i - 1], timeline.Samples[i]);
            double dt = (c.ElapsedMs - p.ElapsedMs) / 1000.0;
            if (dt > 0.5) rate.Add((c.ElapsedMs / 1000.0, Math.Max(0, c.Scenarios - p.Scenarios) / dt));
        }
        foreach (var s in timeline.Samples) mem.Add((s.ElapsedMs / 1000.0, s.WorkingSet / (double)(1 << 20)));
        b.Append(LineChartSvg.Render("Scenarios per second", "scenarios / s", rate, "#337ab7"));
        b.Append(LineChartSvg.Render("Working set", "MiB", mem, "#5cb85c"));
        b.Append("</div>");

        b.Append("<h2>Oracles and operations</h2><div style=\"display:flex;gap:24px;flex-wrap:wrap\"><table class=\"grid\"><tr><th class=\"row\">oracle</th><th>checks</th><th>violations</th></tr>");
        foreach (OracleId id in Enum.GetValues<OracleId>())
            b.Append($"<tr><th class=\"row\">{OracleNames.Name(id)}</th><td>{Html.N(stats.OracleChecks[(int)id])}</td><td>{Html.N(stats.Violations[(int)id])}</td></tr>");
        b.Append("</table><table class=\"grid\"><tr><th class=\"row\">operation</th><th>completed</th></tr>");
        foreach (OpKind k in Enum.GetValues<OpKind>())
            b.Append($"<tr><th class=\"row\">{OpKinds.Name(k)}</th><td>{Html.N(stats.OpsCompleted[(int)k])}</td></tr>");
        b.Append("</table></div>");
        var never = Enum.GetValues<StepId>().Where(id => stats.StepHits[(int)id] == 0).Select(StepCatalog.Name).ToArray();
        b.Append("<h2>Step coverage</h2>");
        b.Append(never.Length == 0
            ? "<p>Every step of the vocabulary ran.</p>"
            : $"<p>Steps that never ran: <code>{Html.E(string.Join(", ", never))}</code></p>");
        b.Append(m.MergedFrom.Count > 0
            ? $"<p class=\"muted\">Campaign directory: {Html.E(dir.Root)}, merged from {Html.E(string.Join("; ", m.MergedFrom))}. A merged campaign is not resumed: resume its shards, then merge again.</p>"
            : $"<p class=\"muted\">Campaign directory: {Html.E(dir.Root)}. Resume: <code class=\"cmd\">dotnet run --project src/Fuzz -c Release -- campaign --resume {Html.E(dir.Root)} --hours 1</code></p>");
        b.Append("</main></body></html>\n");
        return b.ToString();
    }

    private static void Card(StringBuilder b, string cls, string value, string key) =>
        b.Append($"<div class=\"card {cls}\"><div class=\"v\">{Html.E(value)}</div><div class=\"k\">{Html.E(key)}</div></div>");

    private static string Budget(CampaignManifest m)
    {
        var parts = new List<string>();
        if (m.BudgetSeconds is { } s) parts.Add(Html.Duration(TimeSpan.FromSeconds(s)));
        if (m.ScenariosPerWorker is { } n) parts.Add($"{Html.N(n)} scenarios per worker");
        if (m.MaxFailures > 0) parts.Add($"stop after {m.MaxFailures} distinct failure(s)");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    private static string KernelDescription(CampaignManifest m, CampaignDirectory dir)
    {
        try
        {
            return RunReport.Describe(KernelLoader.Load(m.Kernel, dir.FindingsDir));
        }
        catch (InputException)
        {
            return m.Kernel;
        }
    }

    private static void RaceMatrix(StringBuilder b, FuzzStats stats)
    {
        OpKind[] kinds = Enum.GetValues<OpKind>();
        int k = kinds.Length;
        b.Append("<table class=\"grid\"><tr><th></th>");
        foreach (OpKind c in kinds) b.Append($"<th>{OpKinds.Name(c)}</th>");
        b.Append("</tr>");
        foreach (OpKind r in kinds)
        {
            b.Append($"<tr><th class=\"row\">{OpKinds.Name(r)}</th>");
            foreach (OpKind c in kinds)
            {
                if (RaceReach.Unreachable(r, c) is { } why)
                {
                    b.Append($"<td style=\"color:#9aa3b2\" title=\"{Html.E(why)}\">&ndash;</td>");
                    continue;
                }
                int a = Math.Min((int)r, (int)c), z = Math.Max((int)r, (int)c);
                long count = stats.Overlaps[a * k + z];
                double share = count / (double)Math.Max(1, stats.Scenarios);
                string bg = count == 0 ? "#fbe9e7" : $"rgba(51,122,183,{Html.F(Math.Min(0.85, 0.08 + Math.Sqrt(share)), 2)})";
                string fg = share > 0.2 ? "#fff" : "#1d2330";
                b.Append($"<td style=\"background:{bg};color:{fg}\" title=\"{Html.N(count)} runs\">{(count == 0 ? "0" : Html.F(100 * share, share < 0.01 ? 2 : 1) + "%")}</td>");
            }
            b.Append("</tr>");
        }
        b.Append("</table>");
    }
}
