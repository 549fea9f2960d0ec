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
    public static IReadOnlyList<string> Render(Simulator s, bool showLocal = true, TableMarks? marks = null) =>
        Layout(Build(s, showLocal, marks), marks?.Keep);

    /// <summary>
    /// The table as data (for HTML): one header per agent column, one row per tick, with the
    /// oracles that fired at it; <paramref name="marks"/> appends notes to the acting agent's cell.
    /// </summary>
    public static TableModel Build(Simulator s, bool showLocal = true, TableMarks? marks = null)
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
            bool noted = false;
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
                if (!noted && marks is not null && marks.Notes.TryGetValue(tick, out string? note)) cells[col] += " " + note;
                noted = true;
            }
            rows.Add((tick, cells));
        }

        var oracles = new Dictionary<int, string>();
        foreach (ref readonly Violation v in s.Violations.Items)
        {
            string name = OracleNames.Name(v.Oracle);
            oracles[v.Tick] = oracles.TryGetValue(v.Tick, out string? m) ? m + ", " + name : name;
        }

        return new TableModel(columns, columns.Select(a => Header(s, a)).ToArray(),
            rows.Select(r => new TableModel.Row(r.Tick, r.Cells, oracles.TryGetValue(r.Tick, out string? m) ? m : null)).ToArray(),
            oracles.Where(m => m.Key > (rows.Count == 0 ? 0 : rows[^1].Tick)).OrderBy(m => m.Key).Select(m => m.Value).ToArray());
    }

    /// <summary>
    /// The table as text. With <paramref name="keep"/>, only those ticks are shown (and every tick
    /// an oracle fired at); each run of the others becomes one "..." row.
    /// </summary>
    public static IReadOnlyList<string> Layout(TableModel t, IReadOnlySet<int>? keep = null)
    {
        string[] headers = t.Headers;
        int[] widths = headers.Select(h => h.Length).ToArray();
        foreach (TableModel.Row r in t.Rows)
        {
            for (int c = 0; c < r.Cells.Length; c++) widths[c] = Math.Max(widths[c], r.Cells[c]?.Length ?? 0);
        }
        int tickWidth = Math.Max(4, (t.Rows.Count == 0 ? 0 : t.Rows[^1].Tick).ToString().Length);
        var lines = new List<string>();
        lines.Add(Row("tick".PadLeft(tickWidth), headers, widths, null));
        lines.Add(new string('-', tickWidth) + "-+-" + string.Join("-+-", widths.Select(w => new string('-', w))));
        bool skipping = false;
        foreach (TableModel.Row r in t.Rows)
        {
            if (keep is not null && !keep.Contains(r.Tick) && r.Oracles is null)
            {
                if (!skipping) lines.Add("...".PadLeft(tickWidth));
                skipping = true;
                continue;
            }
            skipping = false;
            lines.Add(Row(r.Tick.ToString().PadLeft(tickWidth), r.Cells, widths, r.Oracles));
        }
        foreach (string mark in t.AtEnd)
        {
            lines.Add(Row("end".PadLeft(tickWidth), new string[headers.Length], widths, mark));
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
