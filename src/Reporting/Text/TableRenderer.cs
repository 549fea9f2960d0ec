using System.Text;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Reporting.Text;

/// <summary>
/// The counterexample table: one column per agent that did anything (CPU0 | CPU1 | DEV | IOMMU |
/// kworker), one row per tick, kernel vocabulary in the cells, like the CPU | IOMMU tables of the
/// thread. A cell holds the operation called (">> store A 1"), the step that took the tick, the
/// zero-time steps that followed it in brackets, and "<< returns" when the operation returned.
/// Rows where an oracle fired are marked, and the violations are listed under the table.
/// </summary>
public static class TableRenderer
{
    public static IReadOnlyList<string> Render(Simulator s, bool showLocal = true)
    {
        ReadOnlySpan<TraceEvent> events = s.Trace.Events;
        int agents = s.AgentCount;
        var used = new bool[agents];
        foreach (ref readonly TraceEvent e in events) used[e.Agent] = true;
        int[] columns = Enumerable.Range(0, agents).Where(a => used[a]).ToArray();
        int[] columnOf = new int[agents];
        for (int c = 0; c < columns.Length; c++) columnOf[columns[c]] = c;

        var rows = new List<(int Tick, string[] Cells)>();
        var cell = new StringBuilder();
        int i = 0;
        while (i < events.Length)
        {
            int tick = events[i].Tick;
            string[] cells = new string[columns.Length];
            while (i < events.Length && events[i].Tick == tick)
            {
                int agent = events[i].Agent;
                cell.Clear();
                var locals = new List<string>();
                for (; i < events.Length && events[i].Tick == tick && events[i].Agent == agent; i++)
                {
                    ref readonly TraceEvent e = ref events[i];
                    string text = CellText.Of(s, e);
                    if (e.Kind == TraceKind.OpBegin) cell.Append(">> ").Append(text).Append(": ");
                    else if (e.Kind == TraceKind.OpEnd)
                    {
                        Flush(cell, locals);
                        cell.Append(" << ").Append(text);
                    }
                    else if (e.Local)
                    {
                        if (showLocal) locals.Add(text);
                    }
                    else
                    {
                        Flush(cell, locals);
                        if (cell.Length > 0 && cell[^1] != ' ') cell.Append("; ");
                        cell.Append(text);
                    }
                }
                Flush(cell, locals);
                int col = columnOf[agent];
                cells[col] = cells[col] is null ? cell.ToString() : cells[col] + "; " + cell;
            }
            rows.Add((tick, cells));
        }

        var marks = new Dictionary<int, string>();
        foreach (ref readonly Violation v in s.Violations.Items)
        {
            string name = OracleNames.Name(v.Oracle);
            marks[v.Tick] = marks.TryGetValue(v.Tick, out string? m) ? m + ", " + name : name;
        }

        string[] headers = columns.Select(a => Header(s, a)).ToArray();
        int[] widths = headers.Select(h => h.Length).ToArray();
        foreach (var (_, cells) in rows)
        {
            for (int c = 0; c < cells.Length; c++) widths[c] = Math.Max(widths[c], cells[c]?.Length ?? 0);
        }
        int tickWidth = Math.Max(4, (rows.Count == 0 ? 0 : rows[^1].Tick).ToString().Length);
        var lines = new List<string>();
        lines.Add(Row("tick".PadLeft(tickWidth), headers, widths, null));
        lines.Add(new string('-', tickWidth) + "-+-" + string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var (tick, cells) in rows)
        {
            marks.TryGetValue(tick, out string? mark);
            lines.Add(Row(tick.ToString().PadLeft(tickWidth), cells, widths, mark));
        }
        int lastTick = rows.Count == 0 ? 0 : rows[^1].Tick;
        foreach (var (tick, mark) in marks.Where(m => m.Key > lastTick).OrderBy(m => m.Key))
        {
            lines.Add(Row("end".PadLeft(tickWidth), new string[columns.Length], widths, mark));
        }
        return lines;
    }

    private static void Flush(StringBuilder cell, List<string> locals)
    {
        if (locals.Count == 0) return;
        cell.Append(" [").Append(string.Join(", ", locals)).Append(']');
        locals.Clear();
    }

    public static string Header(Simulator s, int agent) =>
        agent == s.DeviceAgent ? "DEV (ATC)" : agent == s.IommuAgent ? "IOMMU (IOTLB)" : agent == s.WorkerAgent ? "kworker (PRI)" : s.AgentNames[agent];

    private static string Row(string tick, string?[] cells, int[] widths, string? mark)
    {
        var b = new StringBuilder(tick);
        for (int c = 0; c < cells.Length; c++)
        {
            b.Append(" | ").Append((cells[c] ?? "").PadRight(widths[c]));
        }
        if (mark is not null) b.Append("  <-- ").Append(mark);
        return b.ToString().TrimEnd();
    }
}
