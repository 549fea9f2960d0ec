using System.Text;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Reporting.Html;
using Fuzz.Reporting.Text;
using Fuzz.Search.Fuzzing;
using Fuzz.Search.Shrinking;

namespace Fuzz.Campaigns.Report;

/// <summary>
/// The report's failures, one card per root cause: its simplest counterexample in full (the
/// violation, the orderings it needs, how it was found, the commands that replay and promote it,
/// the timeline with the orderings drawn, the per-agent table with the ordered steps marked and
/// the rest dimmed), and the cause's other shapes folded under it with their count.
/// </summary>
internal static class CauseCards
{
    public const string Style = """
        ol.needs { margin: 4px 0 8px 0; padding-left: 26px; font-size: 13.5px; }
        ol.needs li { margin: 2px 0; }
        ol.needs li::marker { font-weight: 600; }
        p.file { margin: 2px 0 4px 0; font-size: 13px; }
        .pictures { display: flex; flex-direction: column; gap: 10px; margin-top: 8px; }
        details.shapes { margin-top: 12px; border-top: 1px dashed #d5d9e0; padding-top: 6px; }
        details.shapes > summary { font-size: 14px; font-weight: 600; }
        table.cmds { border-collapse: collapse; font-size: 12px; margin: 4px 0; table-layout: fixed; width: 100%; }
        table.cmds th { text-align: left; color: #5b6578; font-weight: normal; width: 7.5em; padding: 1px 0; vertical-align: top; }
        table.cmds td { overflow-wrap: anywhere; padding: 1px 0; }
        .shape { border-left: 3px solid #d5d9e0; padding: 2px 0 6px 12px; margin: 10px 0; }
        """;

    public static void Render(StringBuilder b, CampaignDirectory dir, IReadOnlyList<FindingRecord> records)
    {
        var byFile = records.ToDictionary(r => r.File);
        IReadOnlyList<Fuzz.Search.Fuzzing.RootCauses.Cause> causes = CampaignCauses.Group(records);
        b.Append($"<h2 id=\"causes\">Root causes: {causes.Count} distinct failure{(causes.Count == 1 ? "" : "s")}, {records.Count} shape{(records.Count == 1 ? "" : "s")}</h2>");
        if (causes.Count == 0)
        {
            b.Append("<p>No oracle was violated.</p>");
            return;
        }
        b.Append("<p class=\"meta\">Counterexamples whose critical orderings name the same steps of the same recipes are one cause; " +
            "a shape that needs more (orderings that only set up its initial state) is folded under the simplest. " +
            "The numbered orderings are marked in the timeline (arrows) and the table (badges); steps no ordering names are dimmed.</p>");
        b.Append("<div class=\"legend\">");
        foreach (var (name, color) in TimelineSvg.Legend) b.Append($"<span><i style=\"background:{color}\"></i>{Html.E(name)}</span>");
        b.Append("</div>");
        for (int k = 0; k < causes.Count; k++)
        {
            var c = causes[k];
            FindingRecord simplest = byFile[c.Simplest.Id];
            b.Append("<div class=\"failure\">");
            b.Append($"<h3><span class=\"oracle\">{OracleNames.Name(simplest.Oracle)}</span>Cause {k + 1} " +
                $"<span class=\"muted\">&middot; {c.Shapes.Count} shape{(c.Shapes.Count == 1 ? "" : "s")} &middot; id {Html.E(c.Id)}</span></h3>");
            Shape(b, dir, simplest, full: true);
            if (c.Shapes.Count > 1)
            {
                b.Append($"<details class=\"shapes\"><summary>{c.Shapes.Count - 1} other shape{(c.Shapes.Count == 2 ? "" : "s")} of this cause</summary>");
                foreach (var other in c.Shapes.Skip(1))
                {
                    b.Append("<div class=\"shape\">");
                    Shape(b, dir, byFile[other.Id], full: false);
                    b.Append("</div>");
                }
                b.Append("</details>");
            }
            b.Append("</div>");
        }
    }

    /// <summary>One counterexample: its file, violation and orderings; in full also the pictures (folded otherwise).</summary>
    private static void Shape(StringBuilder b, CampaignDirectory dir, FindingRecord r, bool full)
    {
        string path = Path.Combine(dir.FindingsDir, r.File);
        b.Append($"<p class=\"file\"><code>{Html.E(r.File)}</code> <span class=\"muted\">{r.ShrunkOps} operations, {r.Steps} steps</span></p>");
        ReplayResult result;
        CriticalOrderings.Result orderings;
        try
        {
            Scenario s = ScenarioParser.Load(path);
            var kernel = KernelLoader.Load(s.Kernel, dir.FindingsDir);
            orderings = CriticalOrderings.Find(s, kernel, r.Oracle);
            result = Replayer.Run(orderings.Full, kernel);
        }
        catch (Exception e) when (e is FileNotFoundException or FileFormatException or ModelLimitException)
        {
            b.Append($"<p class=\"violation\">cannot replay: {Html.E(e.Message)}</p>");
            return;
        }
        Simulator sim = result.Sim;
        for (int i = 0; i < sim.Violations.Count; i++)
            b.Append($"<p class=\"violation\">{Html.E(ViolationText.Describe(sim, sim.Violations[i]))}</p>");
        if (orderings.Orderings.Count == 0) b.Append("<p class=\"meta\">Needs no order between agents: no single reordering of its schedule loses the violation.</p>");
        else
        {
            b.Append("<p class=\"meta\">Needs (swap any one of these orders and the violation vanishes):</p><ol class=\"needs\">");
            foreach (var o in orderings.Orderings)
                b.Append($"<li>{Html.E(OrderingText.Describe(sim, o))} <span class=\"muted\">(ticks {o.Before} and {o.After})</span></li>");
            b.Append("</ol>");
        }
        var how = new List<string>();
        if (r.Worker >= 0) how.Add($"worker {r.Worker}");
        if (r.FoundAfterScenarios >= 0) how.Add($"after {Html.N(r.FoundAfterScenarios)} of its scenarios");
        if (r.FoundAfterMs >= 0) how.Add($"{Html.Duration(TimeSpan.FromMilliseconds(r.FoundAfterMs))} into its run");
        if (r.ShrinkMs >= 0) how.Add($"shrunk in {Html.Duration(TimeSpan.FromMilliseconds(r.ShrinkMs))}");
        if (r.OriginalOps >= 0) how.Add($"from {r.OriginalOps} to {r.ShrunkOps} operations");
        b.Append($"<p class=\"meta\">Found by {string.Join(", ", how)}.</p>");
        b.Append("<table class=\"cmds\">");
        foreach (var (what, command) in new[] { ("replay", $"replay {path} --brief"), ("promote", $"promote {path}"), ("C reproducer", $"export {path} --c") })
            b.Append($"<tr><th>{what}</th><td><code class=\"cmd\">dotnet run --project src/Fuzz -- {Html.E(command)}</code></td></tr>");
        b.Append("</table>");
        b.Append(full ? "<div class=\"pictures\">" : "<details><summary>timeline and per-agent table</summary><div class=\"pictures\">");
        b.Append(TimelineSvg.Render(sim, orderings.Orderings));
        b.Append(TraceTableHtml.Render(sim, OrderingText.TableMarks(sim, orderings.Orderings, brief: true)));
        b.Append(full ? "</div>" : "</div></details>");
    }
}
