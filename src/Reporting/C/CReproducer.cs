using System.Globalization;
using System.Text;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Reporting.C;

/// <summary>
/// A counterexample as a self-contained C program for a real Linux machine: one pthread per CPU
/// agent, pinned to the CPU of the same number, in one process per mm (mm1 is a fork of mm0, at
/// set-up or where the scenario forks); the model's operations become loads, stores,
/// madvise(MADV_DONTNEED), fork and O_DIRECT read(2); reclaim becomes madvise(MADV_PAGEOUT) on a
/// thread of its own (with a swap file the program sets up as root if there is no swap), KSM the
/// pages marked MADV_MERGEABLE with ksmd run without sleeping, migration move_pages(2) between
/// NUMA nodes. The schedule cannot be imposed on a real kernel: every iteration starts all
/// threads at once and spins a varying while between operations. The device's steps cannot be
/// driven from user space; the program says which it leaves out. It checks what user space can
/// see (<see cref="UserSpaceChecks"/>) and prints how often a check failed.
/// </summary>
public static class CReproducer
{
    /// <summary>The first line of every exported program: how the exporter recognises a file it wrote.</summary>
    public const string Signature = "/* mmfuzz C reproducer";

    public static string Write(Scenario s, string source, string kernel, OracleId? oracle)
    {
        var driven = new List<AgentProgram>();
        var notes = new List<string>();
        foreach (AgentProgram p in s.Programs.OrderBy(p => s.Layout.IndexOf(p)))
        {
            if (p.Ops.Count == 0) continue;
            switch (p.Kind)
            {
                case AgentKind.Cpu:
                    if (p.Mm == 1 && p.Ops.Any(o => o.Kind == OpKind.Fork)) throw new ExportException($"{p.Name} forks in mm1: only mm0 can fork here");
                    driven.Add(p);
                    break;
                case AgentKind.Kswapd or AgentKind.Kcompactd:
                    if (p.Ops.Select(o => o.Mm).Distinct().Count() > 1) throw new ExportException($"{p.Name} works on both mms: its stand-in thread lives in one process");
                    driven.Add(p);
                    break;
                case AgentKind.Ksmd:
                    notes.Add($"ksmd: {string.Join("; ", p.Ops)} is ksmd's own work: the pages are MADV_MERGEABLE and ksmd runs without sleeping, but when it merges is up to ksmd");
                    break;
                default:
                    notes.Add($"{p.Name}: {string.Join("; ", p.Ops)}: device steps (and the IOMMU's walks and PRI work for them) cannot be driven from user space");
                    break;
            }
        }
        if (driven.Count == 0) throw new ExportException("nothing to drive: every operation of the counterexample is the device's or ksmd's");
        foreach (InitialPage ip in s.InitialPages)
        {
            if (ip.Kind == InitialPageKind.SharedWith && (ip.Mm != 1 || ip.SharedMm != 0 || ip.SharedVa != ip.Va))
                throw new ExportException($"page {Names.Mm(ip.Mm)} {Names.Page(ip.Va)} shares {Names.Mm(ip.SharedMm)} {Names.Page(ip.SharedVa)}: a fork shares a page at the same address only");
        }
        if (s.HasFork && s.InitialPages.Any(ip => ip.Mm == 1)) throw new ExportException("mm1 has initial pages and is also created by a fork");
        if (s.HasDevice && s.Schedule.Any(a => a.Agent == s.Layout.Device && a.Kind != ActionKind.Step))
            notes.Add("the IOMMU's speculative ATS translations and ATC evictions are hardware of the device: not driven");
        IReadOnlyList<UserSpaceChecks.Check> loads = UserSpaceChecks.Loads(s, driven);
        IReadOnlyList<UserSpaceChecks.Final> finals = UserSpaceChecks.Finals(s, driven);
        long[] odirect = driven.SelectMany(p => p.Ops).Where(o => o.Kind == OpKind.OdirectRead).Select(o => (long)o.Value).Distinct().Order().ToArray();
        bool swap = driven.Any(p => p.Kind == AgentKind.Kswapd) || s.InitialPages.Any(ip => ip.Kind == InitialPageKind.Swapped);

        var b = new StringBuilder();
        b.Append(Header(s, source, kernel, oracle));
        string driver = Driver().Replace("/*@HEADER@*/\n", b.ToString(), StringComparison.Ordinal);
        var d = new StringBuilder();
        d.Append("/* ---- the counterexample (generated) ---- */\n");
        d.Append($"#define NPAGES {s.Pages}\n#define SECOND_PMD {s.SecondPmd ?? -1}\n");
        d.Append($"#define CPU_AGENTS {driven.Where(p => p.Kind == AgentKind.Cpu).Select(p => p.Index + 1).DefaultIfEmpty(0).Max()}\n");
        bool mm1AtStart = s.Mms == 2 && !s.HasFork;
        d.Append($"#define MM1_AT_START {(mm1AtStart ? 1 : 0)}\n");
        d.Append($"#define NEED_SWAP {(swap ? 1 : 0)}\n#define NEED_KSM {(s.ProgramOf(AgentKind.Ksmd) is { Ops.Count: > 0 } ? 1 : 0)}\n");
        d.Append($"#define NEED_NUMA {(driven.Any(p => p.Kind == AgentKind.Kcompactd) ? 1 : 0)}\n");
        d.Append($"#define NODIRECT {odirect.Length}\nstatic const long odirect_values[] = {{ {string.Join(", ", odirect.Append(0))} }};\n");
        int check = 0, helper = 0;
        foreach (AgentProgram p in driven)
        {
            d.Append($"static const struct op ops_{p.Name}[] = {{\n");
            foreach (Operation op in p.Ops)
            {
                string kind = op.Kind switch
                {
                    OpKind.Load => "OP_LOAD",
                    OpKind.Store => "OP_STORE",
                    OpKind.MadviseDontneed => "OP_DONTNEED",
                    OpKind.Fork => "OP_FORK",
                    OpKind.OdirectRead => "OP_ODIRECT",
                    OpKind.SwapOut => "OP_PAGEOUT",
                    OpKind.Migrate => "OP_MIGRATE",
                    _ => throw new ExportException($"{p.Name}: {op} has no user-space counterpart"),
                };
                d.Append($"    {{ {kind}, {op.Va}, {op.VaLast}, {op.Value}, {(op.Kind == OpKind.Load ? check++ : -1)}, {C(op.ToString())} }},\n");
            }
            d.Append("};\n");
        }
        d.Append("static const struct agent agents[] = {\n");
        foreach (AgentProgram p in driven)
        {
            bool isHelper = p.Kind != AgentKind.Cpu;
            d.Append($"    {{ {C(p.Name)}, {UserSpaceChecks.MmOf(p)}, {(isHelper ? helper++ : p.Index)}, {(isHelper ? 1 : 0)}, {p.Ops.Count}, ops_{p.Name}, 0x{Touched(s, p):x}u }},\n");
        }
        d.Append("};\n");
        d.Append($"#define NAGENTS {driven.Count}\n#define START_AGENTS {driven.Count(p => UserSpaceChecks.MmOf(p) == 0 || mm1AtStart)}\n");
        d.Append("static const struct initial initial[] = {\n");
        foreach (InitialPage ip in s.InitialPages)
        {
            string kind = ip.Kind switch { InitialPageKind.Zero => "PG_ZERO", InitialPageKind.Value => "PG_VALUE", InitialPageKind.Swapped => "PG_SWAPPED", _ => "PG_SHARED" };
            d.Append($"    {{ {ip.Mm}, {ip.Va}, {kind}, {ip.Value}, {(ip.Writable ? 1 : 0)} }},\n");
        }
        d.Append("    { -1, 0, PG_NONE, 0, 0 },\n};\n");
        d.Append($"#define NINITIAL {s.InitialPages.Count}\n");
        d.Append("static const struct legal checks[] = {\n");
        foreach (UserSpaceChecks.Check c in loads) d.Append($"    {Legal(c)},\n");
        d.Append("    { \"\", 0, { 0 } },\n};\n");
        d.Append($"#define NCHECKS {loads.Count}\n");
        d.Append("static const struct final finals[] = {\n");
        foreach (UserSpaceChecks.Final f in finals) d.Append($"    {{ {f.Mm}, {f.Page}, {Legal(f.Check)} }},\n");
        d.Append("    { -1, 0, { \"\", 0, { 0 } } },\n};\n");
        d.Append($"#define NFINALS {finals.Count}\n");
        d.Append($"static const char DESCRIPTION[] =\n{Description(s, source, kernel, oracle, driven, notes, loads, finals)};\n");
        return driver.Replace("/*@SCENARIO@*/\n", d.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Pages whose translation the schedule has the CPU's TLB fill: the thread reads them first, which leaves them in its TLB.</summary>
    private static uint Touched(Scenario s, AgentProgram p)
    {
        if (p.Kind != AgentKind.Cpu) return 0;
        uint mask = 0;
        foreach (SchedAction a in s.Schedule)
        {
            if (a.Kind == ActionKind.Fill && a.Agent == p.Index) mask |= 1u << a.Va;
        }
        return mask;
    }

    private static string Legal(UserSpaceChecks.Check c)
    {
        if (c.Legal.Count > 16) throw new ExportException($"{c.What} may see {c.Legal.Count} values: more than the program keeps");
        return $"{{ {C(c.What)}, {c.Legal.Count}, {{ {string.Join(", ", c.Legal.DefaultIfEmpty(0))} }} }}";
    }

    private static string Description(Scenario s, string source, string kernel, OracleId? oracle, List<AgentProgram> driven, List<string> notes,
        IReadOnlyList<UserSpaceChecks.Check> loads, IReadOnlyList<UserSpaceChecks.Final> finals)
    {
        var lines = new List<string> { $"mmfuzz reproducer of {source} ({(oracle is { } o ? OracleNames.Name(o) : "coherent")} under {kernel} in the model)" };
        foreach (AgentProgram p in driven)
        {
            string where = p.Kind == AgentKind.Cpu ? $"{Names.Mm(p.Mm)}, CPU {p.Index}" : $"{Names.Mm(UserSpaceChecks.MmOf(p))}, a thread standing in for {p.Name}";
            uint touched = Touched(s, p);
            string touch = touched == 0 ? "" : $"reads {string.Join(", ", Enumerable.Range(0, s.Pages).Where(v => (touched >> v & 1) != 0).Select(Names.Page))} first (its TLB fill); ";
            lines.Add($"  drives {p.Name} ({where}): {touch}{string.Join("; ", p.Ops.Select(UserSpaceName))}");
        }
        foreach (string n in notes) lines.Add("  not driven: " + n);
        foreach (UserSpaceChecks.Check c in loads) lines.Add($"  checks: {c.What} sees {OneOf(c.Legal)}");
        foreach (UserSpaceChecks.Final f in finals) lines.Add($"  checks: {f.Check.What} holds {OneOf(f.Check.Legal)}");
        if (oracle is { } x && x is not (OracleId.Linearizability or OracleId.StaleTlb or OracleId.Isolation or OracleId.LostWrite))
            lines.Add($"  note: the model's {OracleNames.Name(x)} oracle is not visible from user space; these checks catch it only where it leaks data");
        return string.Join("\n", lines.Select(l => "    " + C(l + "\n")));
    }

    private static string OneOf(IReadOnlyList<long> values) => values.Count == 1 ? values[0].ToString(CultureInfo.InvariantCulture) : "one of " + string.Join(", ", values);

    private static string UserSpaceName(Operation op) => op.Kind switch
    {
        OpKind.MadviseDontneed => $"madvise({op.ToString()["madvise_dontneed ".Length..]}, MADV_DONTNEED)",
        OpKind.OdirectRead => $"read(O_DIRECT) {op.Value} into {Names.Page(op.Va)}",
        OpKind.SwapOut => $"madvise({Names.Page(op.Va)}, MADV_PAGEOUT)",
        OpKind.Migrate => $"move_pages({Names.Page(op.Va)}) to the other node",
        _ => op.ToString(),
    };

    private static string Header(Scenario s, string source, string kernel, OracleId? oracle) => $"""
        {Signature} of {source}, written by 'fuzz export --c'.
           In the model it is {(oracle is { } o ? "a violation of " + OracleNames.Name(o) : "coherent")} under {kernel}; this program
           runs its CPU-side operations in a tight loop on this machine and checks, from user space, the
           values they see and leave. Build and run (as root when it needs swap or KSM):
               cc -O2 -pthread -o repro {Path.GetFileNameWithoutExtension(source)}.c && ./repro [-n ITERATIONS] [-s SECONDS]
           Exit 0: no violation seen; 1: a violation seen (printed); 77: skipped, the machine lacks what
           it needs (printed: CPUs, swap, root, KSM, NUMA nodes, O_DIRECT); 2: an error.
           A clean run does not mean the kernel is free of the race: the window may be too narrow to hit
           in the iterations run, and what the model's device does is not driven. A violation is real:
           every value the checks allow is one some interleaving of these operations explains. */

        """;

    private static string C(string text)
    {
        var b = new StringBuilder("\"");
        foreach (char ch in text)
        {
            b.Append(ch switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", _ => ch.ToString() });
        }
        return b.Append('"').ToString();
    }

    private static string Driver()
    {
        using Stream stream = typeof(CReproducer).Assembly.GetManifestResourceStream("Fuzz.Reporting.C.driver.c")
            ?? throw new InvalidOperationException("the C driver is not embedded in Fuzz.Reporting");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>A counterexample the C exporter cannot express (the message says what).</summary>
public sealed class ExportException(string message) : Exception(message);
