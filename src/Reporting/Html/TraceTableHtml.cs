using System.Text;
using Fuzz.Model.Simulation;
using Fuzz.Reporting.Text;

namespace Fuzz.Reporting.Html;

/// <summary>
/// The per-agent table as an HTML table that fits the page: fixed layout, one column per agent,
/// cells that wrap (a very long one is shortened, its full text on hover), the critical orderings'
/// numbers as badges on the steps they name, the row where an oracle fired highlighted, and, with
/// a brief set of ticks, every other row dimmed (the steps no ordering depends on).
/// </summary>
public static class TraceTableHtml
{
    /// <summary>Cells longer than this are cut, the whole text kept as the tooltip.</summary>
    public const int MaxCell = 160;

    public static string Render(Simulator s, TableMarks? marks = null)
    {
        TableModel t = TableRenderer.Build(s, showLocal: false);
        var b = new StringBuilder("<table class=\"trace\"><colgroup><col class=\"tick\">");
        foreach (string _ in t.Headers) b.Append("<col>");
        b.Append("</colgroup><thead><tr><th class=\"tick\">tick</th>");
        foreach (string h in t.Headers) b.Append("<th>").Append(Html.E(h)).Append("</th>");
        b.Append("</tr></thead><tbody>");
        foreach (TableModel.Row r in t.Rows)
        {
            bool dim = marks?.Keep is { } keep && !keep.Contains(r.Tick) && r.Oracles is null;
            string cls = r.Oracles is not null ? " class=\"fired\"" : dim ? " class=\"dim\"" : "";
            b.Append($"<tr{cls}><td class=\"tick\">{r.Tick}</td>");
            int acting = Array.IndexOf(t.Agents, OrderingText.AgentAt(s, r.Tick));
            for (int c = 0; c < r.Cells.Length; c++)
            {
                string text = r.Cells[c] ?? "";
                b.Append("<td>");
                if (text.Length > MaxCell) b.Append($"<span title=\"{Html.E(text)}\">{Html.E(text[..(MaxCell - 1)])}\u2026</span>");
                else b.Append(Html.E(text));
                if (c == acting && marks is not null && marks.Notes.TryGetValue(r.Tick, out string? note))
                {
                    foreach (string n in note.Trim('{', '}').Split(',')) b.Append($" <b class=\"ord\">{Html.E(n)}</b>");
                }
                if (c == acting && r.Oracles is not null) b.Append($" <span class=\"oracle-mark\">&larr; {Html.E(r.Oracles)}</span>");
                b.Append("</td>");
            }
            b.Append("</tr>");
        }
        foreach (string end in t.AtEnd)
            b.Append($"<tr class=\"fired\"><td class=\"tick\">end</td><td colspan=\"{t.Headers.Length}\"><span class=\"oracle-mark\">&larr; {Html.E(end)}</span> (at quiescence)</td></tr>");
        b.Append("</tbody></table>");
        return b.ToString();
    }

    public const string Style = """
        table.trace { width: 100%; table-layout: fixed; border-collapse: collapse; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11.5px; line-height: 1.35; background: #fbfbfc; border: 1px solid #e4e7ec; }
        table.trace col.tick { width: 3.2em; }
        table.trace th { text-align: left; background: #eef1f5; padding: 3px 6px; font-weight: 600; border-bottom: 1px solid #dde1e7; }
        table.trace td { padding: 1px 6px; vertical-align: top; overflow-wrap: anywhere; border-left: 1px solid #eceef2; }
        table.trace td.tick, table.trace th.tick { text-align: right; color: #7a8496; border-left: none; }
        table.trace tr.dim td { color: #b0b6c1; }
        table.trace tr.fired td { background: #fdecea; }
        table.trace .oracle-mark { color: #b3261e; font-weight: 600; }
        b.ord { display: inline-block; min-width: 1.1em; text-align: center; background: #1f2a3c; color: #fff; border-radius: 8px; padding: 0 4px; font-size: 10px; font-family: system-ui, sans-serif; }
        """;
}
