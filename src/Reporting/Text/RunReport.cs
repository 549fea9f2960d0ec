using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Reporting.Text;

/// <summary>The full human report of a run: verdict, violations in words, the per-agent table.</summary>
public static class RunReport
{
    /// <summary>
    /// With <paramref name="orderings"/> (the critical orderings of the violation), the table marks
    /// the steps they name and lists them under it; with <paramref name="brief"/> as well, it leaves
    /// out the steps no ordering depends on.
    /// </summary>
    public static IEnumerable<string> Lines(ReplayResult r, bool showLocal = true, IReadOnlyList<CriticalOrdering>? orderings = null, bool brief = false)
    {
        Simulator s = r.Sim;
        yield return $"kernel: {Describe(s.Kernel)}";
        yield return r.Coherent
            ? $"verdict: coherent ({s.Tick} ticks, {s.Ops.Length} operations)"
            : $"verdict: VIOLATION of {string.Join(", ", r.ViolatedOracles.Select(OracleNames.Name))} ({s.Tick} ticks)";
        for (int i = 0; i < s.Violations.Count; i++) yield return "  " + ViolationText.Describe(s, s.Violations[i]);
        yield return "";
        TableMarks? marks = orderings is null ? null : OrderingText.TableMarks(s, orderings, brief);
        foreach (string line in TableRenderer.Render(s, showLocal, marks)) yield return line;
        if (orderings is not null)
        {
            yield return "";
            foreach (string line in OrderingText.Lines(s, orderings)) yield return line;
        }
        if (r.Skipped > 0) yield return $"({r.Skipped} scheduled action(s) were not enabled when their turn came and were skipped)";
    }

    /// <summary>The kernel in one line: its name, and what it changes over its base when that is short.</summary>
    public static string Describe(KernelDefinition k)
    {
        if (k.Edits.Count == 0 && k.IsBase) return k.Name;
        if (k.Edits.Count > 3 || k.Edits.Any(e => e.Contains('\n')))
            return $"{k.Name} ({k.Root} + {k.Edits.Count} edits; 'fuzz recipes --kernel {k.Name}' lists them)";
        return $"{k.Name} ({k.Root} + {string.Join("; ", k.Edits)})";
    }
}
