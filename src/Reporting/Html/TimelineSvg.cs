using System.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Reporting.Text;

namespace Fuzz.Reporting.Html;

/// <summary>
/// A counterexample as a picture: one lane per agent, one box per tick the agent took, coloured by
/// what the step does (lock, flush, secondary invalidation, PTE write, page, check, hardware), the
/// operations as bands under their steps, and the violating step marked. Hovering a box shows the
/// table cell's text.
/// </summary>
public static class TimelineSvg
{
    public static readonly (string Name, string Color)[] Legend =
    [
        ("operation", "#dfe6f3"),
        ("lock / unlock", "#9aa3b2"),
        ("CPU TLB flush", "#d9534f"),
        ("secondary (IOMMU) invalidation", "#f0ad4e"),
        ("PTE write", "#337ab7"),
        ("page / refcount", "#5cb85c"),
        ("check", "#c6cbd3"),
        ("hardware: fill, evict, access", "#8e6bbf"),
    ];

    /// <summary>
    /// With <paramref name="orderings"/>, each is drawn as a numbered arrow from the step that must
    /// come first to the one that must follow, and the boxes of steps no ordering names are faded.
    /// The picture scales down to the page's width rather than scroll.
    /// </summary>
    public static string Render(Simulator s, IReadOnlyList<CriticalOrdering>? orderings = null)
    {
        ReadOnlySpan<TraceEvent> events = s.Trace.Events;
        var used = new bool[s.AgentCount];
        int lastTick = 0;
        foreach (ref readonly TraceEvent e in events)
        {
            used[e.Agent] = true;
            lastTick = Math.Max(lastTick, e.Tick);
        }
        int[] lanes = Enumerable.Range(0, s.AgentCount).Where(a => used[a]).ToArray();
        var laneOf = new int[s.AgentCount];
        for (int i = 0; i < lanes.Length; i++) laneOf[lanes[i]] = i;

        int ticks = lastTick + 1;
        double w = Math.Clamp(1100.0 / ticks, 6, 22);
        const int left = 110, laneH = 44, top = 26;
        double width = left + ticks * w + 20;
        int height = top + lanes.Length * laneH + 28;
        var b = new StringBuilder();
        b.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" style=\"max-width:{Html.F(width, 0)}px\" viewBox=\"0 0 {Html.F(width, 0)} {height}\">");
        b.Append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        for (int i = 0; i < lanes.Length; i++)
        {
            int y = top + i * laneH;
            b.Append($"<rect x=\"{left}\" y=\"{y}\" width=\"{Html.F(ticks * w, 1)}\" height=\"{laneH - 4}\" fill=\"{(i % 2 == 0 ? "#f7f8fa" : "#fdfdfe")}\"/>");
            b.Append($"<text x=\"{left - 8}\" y=\"{y + laneH / 2 + 2}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1d2330\">{Html.E(s.AgentNames[lanes[i]])}</text>");
        }
        // Tick axis.
        int every = ticks <= 40 ? 5 : ticks <= 120 ? 10 : 25;
        for (int t = 0; t < ticks; t += every)
        {
            double x = left + t * w;
            b.Append($"<line x1=\"{Html.F(x)}\" y1=\"{top - 4}\" x2=\"{Html.F(x)}\" y2=\"{top + lanes.Length * laneH - 4}\" stroke=\"#e3e6eb\" stroke-width=\"1\"/>");
            b.Append($"<text x=\"{Html.F(x)}\" y=\"{top - 8}\" font-size=\"10\" fill=\"#7a8496\">{t}</text>");
        }
        // Operation bands: from call to return.
        var open = new Dictionary<int, (int Tick, string Text)>();
        foreach (ref readonly TraceEvent e in events)
        {
            if (e.Kind == TraceKind.OpBegin) open[e.Agent] = (e.Tick, CellText.Of(s, e));
            else if (e.Kind == TraceKind.OpEnd && open.Remove(e.Agent, out var op)) Band(b, laneOf[e.Agent], op.Tick, e.Tick, op.Text, w, left, top, laneH);
        }
        foreach (var (agent, op) in open) Band(b, laneOf[agent], op.Tick, lastTick, op.Text + " (never returned)", w, left, top, laneH);
        // One box per tick an agent took; zero-time steps join the box of their tick.
        var tips = new Dictionary<(int Agent, int Tick), (string Color, StringBuilder Tip)>();
        foreach (ref readonly TraceEvent e in events)
        {
            if (e.Kind is TraceKind.OpBegin or TraceKind.OpEnd) continue;
            string text = CellText.Of(s, e);
            var key = ((int)e.Agent, e.Tick);
            if (tips.TryGetValue(key, out var cell))
            {
                cell.Tip.Append("; ").Append(text);
                continue;
            }
            tips[key] = (ColorOf(e), new StringBuilder($"tick {e.Tick}, {s.AgentNames[e.Agent]}: {text}"));
        }
        var named = new HashSet<int>();
        foreach (CriticalOrdering o in orderings ?? []) named.UnionWith([o.Before, o.After]);
        foreach (var ((agent, tick), (color, tip)) in tips)
        {
            double x = left + tick * w;
            int y = top + laneOf[agent] * laneH + 6;
            string emphasis = orderings is null ? "" : named.Contains(tick) ? " stroke=\"#1f2a3c\" stroke-width=\"1.5\"" : " opacity=\"0.35\"";
            b.Append($"<rect x=\"{Html.F(x + 0.5)}\" y=\"{y}\" width=\"{Html.F(Math.Max(2, w - 1.5))}\" height=\"18\" rx=\"1.5\" fill=\"{color}\"{emphasis}><title>{Html.E(tip.ToString())}</title></rect>");
        }
        if (orderings is not null) Arrows(b, s, orderings, laneOf, w, left, top, laneH);
        // The violations.
        for (int i = 0; i < s.Violations.Count; i++)
        {
            var v = s.Violations[i];
            int lane = v.Agent >= 0 && used[v.Agent] ? laneOf[v.Agent] : lanes.Length - 1;
            double x = left + v.Tick * w;
            int y = top + lane * laneH;
            b.Append($"<rect x=\"{Html.F(x - 1)}\" y=\"{y + 3}\" width=\"{Html.F(w + 1)}\" height=\"24\" fill=\"none\" stroke=\"#b3261e\" stroke-width=\"2.5\"/>");
            // Anchored at the end near the right edge, so that the label never leaves the picture.
            bool nearEnd = x + w / 2 > width - 90;
            b.Append($"<text x=\"{Html.F(nearEnd ? width - 4 : x + w / 2)}\" y=\"{top + lanes.Length * laneH + 14}\" text-anchor=\"{(nearEnd ? "end" : "middle")}\" font-size=\"11\" fill=\"#b3261e\" font-weight=\"600\">\u25B2 {Html.E(Fuzz.Model.Oracles.OracleNames.Name(v.Oracle))} (tick {v.Tick})</text>");
        }
        b.Append("</svg>");
        return b.ToString();
    }

    /// <summary>One arrow per ordering, from the middle of the earlier step's box to the later one's, numbered as the table.</summary>
    private static void Arrows(StringBuilder b, Simulator s, IReadOnlyList<CriticalOrdering> orderings, int[] laneOf, double w, int left, int top, int laneH)
    {
        b.Append("<defs><marker id=\"ord-head\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#1f2a3c\"/></marker></defs>");
        for (int i = 0; i < orderings.Count; i++)
        {
            int from = OrderingText.AgentAt(s, orderings[i].Before), to = OrderingText.AgentAt(s, orderings[i].After);
            if (from < 0 || to < 0) continue;
            double x1 = left + orderings[i].Before * w + w / 2, x2 = left + orderings[i].After * w + w / 2;
            double y1 = top + laneOf[from] * laneH + 15, y2 = top + laneOf[to] * laneH + 15;
            double mx = (x1 + x2) / 2, my = (y1 + y2) / 2 - 10;
            b.Append($"<path d=\"M{Html.F(x1)},{Html.F(y1)} Q{Html.F(mx)},{Html.F(my - 14)} {Html.F(x2)},{Html.F(y2)}\" fill=\"none\" stroke=\"#1f2a3c\" stroke-width=\"1.4\" marker-end=\"url(#ord-head)\"><title>{Html.E($"{{{i + 1}}} {OrderingText.Describe(s, orderings[i])}")}</title></path>");
            b.Append($"<circle cx=\"{Html.F(mx)}\" cy=\"{Html.F(my - 7)}\" r=\"7\" fill=\"#1f2a3c\"/><text x=\"{Html.F(mx)}\" y=\"{Html.F(my - 3.5)}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#fff\">{i + 1}</text>");
        }
    }

    private static void Band(StringBuilder b, int lane, int from, int to, string text, double w, int left, int top, int laneH)
    {
        double x = left + from * w;
        double width = Math.Max(w, (to - from + 1) * w);
        int y = top + lane * laneH + 2;
        b.Append($"<rect x=\"{Html.F(x)}\" y=\"{y}\" width=\"{Html.F(width)}\" height=\"{laneH - 8}\" rx=\"3\" fill=\"#dfe6f3\" stroke=\"#b8c4da\"><title>{Html.E(text)}</title></rect>");
        if (width > 30) b.Append($"<text x=\"{Html.F(x + 3)}\" y=\"{y + 31}\" font-size=\"10\" fill=\"#34405a\">{Html.E(Shorten(text, (int)(width / 5.5)))}</text>");
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..Math.Max(1, max - 1)] + "\u2026";

    private static string ColorOf(in TraceEvent e)
    {
        if (e.Kind == TraceKind.IommuCommand) return Legend[3].Color;
        if (e.Kind is not (TraceKind.Step or TraceKind.OpBegin or TraceKind.OpEnd)) return Legend[7].Color;
        return StepCatalog.Info(e.Step).Category switch
        {
            StepCategory.Lock or StepCategory.Unlock or StepCategory.Wait => Legend[1].Color,
            StepCategory.TlbFlush => Legend[2].Color,
            StepCategory.SecondaryFlush => Legend[3].Color,
            StepCategory.PteWrite => Legend[4].Color,
            StepCategory.Page or StepCategory.Gather or StepCategory.Task => Legend[5].Color,
            StepCategory.Hardware => Legend[7].Color,
            _ => Legend[6].Color,
        };
    }
}
