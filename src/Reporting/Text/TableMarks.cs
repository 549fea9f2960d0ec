namespace Fuzz.Reporting.Text;

/// <summary>
/// What a table shows beyond the trace: a note appended to the acting agent's cell at a tick (the
/// critical orderings' "{1}" marks), and, for a brief table, the ticks worth a row (the others are
/// folded into "..." in text and dimmed in HTML).
/// </summary>
public sealed record TableMarks(IReadOnlyDictionary<int, string> Notes, IReadOnlySet<int>? Keep = null);
