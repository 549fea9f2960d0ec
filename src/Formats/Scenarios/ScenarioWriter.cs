using System.Text;
using Fuzz.Model.Scenarios;

namespace Fuzz.Formats.Scenarios;

/// <summary>Writes a scenario in the canonical text form that <see cref="ScenarioParser"/> reads back.</summary>
public static class ScenarioWriter
{
    private const int TokensPerLine = 12;

    /// <param name="trailer">Lines written as a comment block at the end (the rendered table); not read back.</param>
    public static string Write(Scenario s, IEnumerable<string>? trailer = null)
    {
        var b = new StringBuilder();
        foreach (string c in s.Comments) b.Append(c.Length == 0 ? "#" : "# " + c).Append('\n');
        b.Append("scenario ").Append(Scenario.FormatVersion).Append('\n');
        b.Append("kernel ").Append(s.Kernel).Append('\n');
        if (s.Expect is { } e) b.Append("expect ").Append(e).Append('\n');
        foreach (KernelExpectation k in s.ExpectUnder) b.Append("expect ").Append(k).Append('\n');
        b.Append("cpus ").Append(s.Cpus).Append('\n');
        b.Append("pages ").Append(s.Pages).Append('\n');
        if (s.SecondPmd is { } pmd) b.Append("pmd ").Append(Names.Page(pmd)).Append('\n');
        if (s.DeviceMm is { } dmm) b.Append("device ").Append(Names.Mm(dmm)).Append('\n');
        foreach (InitialPage p in s.InitialPages)
        {
            b.Append("page ").Append(Names.Mm(p.Mm)).Append(' ').Append(Names.Page(p.Va)).Append(' ');
            b.Append(p.Kind switch
            {
                InitialPageKind.Zero => "zero",
                InitialPageKind.SharedWith => $"shared {Names.Mm(p.SharedMm)} {Names.Page(p.SharedVa)}",
                InitialPageKind.Swapped => $"swapped {p.Value}",
                _ => $"{p.Value} {(p.Writable ? "rw" : "ro")}{(p.Old ? " old" : "")}",
            });
            b.Append('\n');
        }
        foreach (AgentProgram p in s.Programs.OrderBy(p => p.Kind).ThenBy(p => p.Index))
        {
            b.Append(p.Kind switch
            {
                AgentKind.Cpu => $"cpu {p.Index} {Names.Mm(p.Mm)}:",
                AgentKind.Device => "device:",
                _ => p.Name + ":",
            });
            b.Append(' ').Append(string.Join("; ", p.Ops.Select(o => o.ToString()))).Append('\n');
        }
        b.Append("schedule:");
        int n = 0;
        foreach (string t in ScheduleText.FormatAll(s.Schedule, s.Layout))
        {
            b.Append(n % TokensPerLine == 0 ? "\n  " : " ").Append(t);
            n++;
        }
        b.Append('\n');
        if (trailer is not null)
        {
            b.Append('\n');
            foreach (string line in trailer) b.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }
        return b.ToString();
    }
}
