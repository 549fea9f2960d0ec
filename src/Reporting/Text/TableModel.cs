namespace Fuzz.Reporting.Text;

/// <summary>
/// The per-agent table as data: the agents shown (simulator numbers) and their headers, one row per
/// tick with one cell per column (null where the agent did nothing), the oracles that fired at the
/// tick, and the oracles that fired after the last tick (at quiescence).
/// </summary>
public sealed record TableModel(int[] Agents, string[] Headers, IReadOnlyList<TableModel.Row> Rows, IReadOnlyList<string> AtEnd)
{
    public sealed record Row(int Tick, string?[] Cells, string? Oracles);
}
