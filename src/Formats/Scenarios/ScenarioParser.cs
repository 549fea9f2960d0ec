using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Formats.Scenarios;

/// <summary>
/// Reads the scenario format (version 1). Every error names the file and line. The format is
/// line-oriented and meant to be written by hand; see README "Scenario files".
/// </summary>
public sealed class ScenarioParser
{
    private readonly string _file;
    private readonly List<string> _comments = new();
    private readonly List<(int Line, InitialPage Page)> _initial = new();
    private readonly List<(int Line, AgentProgram Program)> _programs = new();
    private readonly List<(int Line, string Token)> _schedule = new();
    private readonly List<(int Line, string Text, AgentKind Kind, int Cpu, int Mm)> _rawPrograms = new();
    private string? _kernel;
    private Expectation? _expect;
    private readonly List<KernelExpectation> _expectUnder = new();
    private int _cpus = 2, _pages = 2;
    private int? _deviceMm;
    private (int Line, int Va)? _secondPmd;
    private bool _header;
    /// <summary>Directives that may appear once, and the line where each did.</summary>
    private readonly Dictionary<string, int> _once = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _kernelLines = new(StringComparer.Ordinal);

    private ScenarioParser(string file) => _file = file;

    public static Scenario Load(string path) => ScenarioFile.Load(path).Scenario;

    public static Scenario Parse(string text, string file = "<scenario>") => Read(text, file).Scenario;

    /// <summary>Parse, keeping the lines that name kernels (for errors about them).</summary>
    public static ScenarioFile Read(string text, string file)
    {
        var p = new ScenarioParser(file);
        Scenario s = p.Run(text);
        return new ScenarioFile(file, s, p._kernelLines);
    }

    private Scenario Run(string text)
    {
        bool inSchedule = false;
        foreach (SourceLine line in SourceLine.Read(text))
        {
            if (line.Text.Length == 0)
            {
                if (!_header && line.Comment is not null) _comments.Add(line.Comment.StartsWith(' ') ? line.Comment[1..] : line.Comment);
                continue;
            }
            if (inSchedule && line.Indented)
            {
                foreach (string w in line.Words) AddScheduleToken(line.Number, w);
                continue;
            }
            inSchedule = false;
            string[] w0 = line.Words;
            if (!_header)
            {
                if (w0[0] != "scenario") throw Error(line.Number, "the first line must be 'scenario 1'");
                if (w0.Length != 2 || !int.TryParse(w0[1], out int version))
                    throw Error(line.Number, "write 'scenario 1'");
                if (version != Scenario.FormatVersion)
                    throw Error(line.Number, $"scenario format version {version} is not supported (this tool reads {Scenario.FormatVersion})");
                _header = true;
                continue;
            }
            inSchedule = Directive(line);
        }
        if (!_header) throw Error(0, "empty file: expected 'scenario 1'");
        return Build();
    }

    /// <summary>Handle one directive line; true when it opens a schedule block.</summary>
    private bool Directive(SourceLine line)
    {
        string[] w = line.Words;
        int n = line.Number;
        if (w[0] is "kernel" or "cpus" or "pages" or "device" or "schedule:")
        {
            if (_once.TryGetValue(w[0], out int first)) throw Error(n, $"a second '{w[0]}' line (the first is line {first})");
            _once[w[0]] = n;
        }
        switch (w[0])
        {
            case "kernel":
                if (w.Length != 2) throw Error(n, "write 'kernel NAME' (v4.14, a variant name, or a path to a .kernel file)");
                _kernel = w[1];
                _kernelLines.TryAdd(w[1], n);
                return false;
            case "expect":
                string? under = null;
                if (w.Length >= 4 && w[^2] == "under")
                {
                    under = w[^1];
                    w = w[..^2];
                }
                Expectation e;
                if (w.Length == 2 && w[1] == "coherent") e = Expectation.CoherentRun;
                else if (w.Length == 3 && w[1] == "violation" && OracleNames.TryParse(w[2], out OracleId o)) e = Expectation.Violation(o);
                else throw Error(n, $"write 'expect coherent' or 'expect violation ORACLE', optionally followed by 'under KERNEL' (oracles: {OracleNames.AllNames})");
                if (under is not null)
                {
                    if (_expectUnder.Any(k => k.Kernel == under)) throw Error(n, $"a second 'expect ... under {Token.Show(under)}' line");
                    _expectUnder.Add(new KernelExpectation(under, e));
                    _kernelLines.TryAdd(under, n);
                }
                else if (_expect is not null) throw Error(n, "two 'expect' lines for the scenario's own kernel");
                else _expect = e;
                return false;
            case "cpus":
                _cpus = Number(n, w, 1, Limits.MaxCpus, "cpus");
                return false;
            case "pages":
                _pages = Number(n, w, 1, Limits.MaxPages, "pages");
                return false;
            case "device:":
                _rawPrograms.Add((n, line.Text[(line.Text.IndexOf(':') + 1)..], AgentKind.Device, 0, 0));
                return false;
            case var k when k.EndsWith(':') && Names.TryKthread(k[..^1], out AgentKind thread):
                _rawPrograms.Add((n, line.Text[(line.Text.IndexOf(':') + 1)..], thread, 0, 0));
                return false;
            case "disk:":
                throw Error(n, "the swap device (disk) has no program: it performs the swap bios that reclaim and swap-in submit; schedule it as 'disk'");
            case "device":
                if (w.Length != 2 || !Names.TryMm(w[1], out int dmm)) throw Error(n, "write 'device mm0' (the mm the IOMMU is bound to)");
                _deviceMm = dmm;
                return false;
            case "page":
                AddPage(n, w);
                return false;
            case "pmd":
                if (w.Length != 2) throw Error(n, "write 'pmd B': the page that starts a second PTE page (its own page-table lock)");
                if (_secondPmd is not null) throw Error(n, "only one 'pmd' line: the model has two PTE pages per mm at most");
                _secondPmd = (n, PageIndex(n, w[1]));
                return false;
            case "cpu":
                ParseCpuLine(n, line.Text);
                return false;
            case "schedule:":
                for (int i = 1; i < w.Length; i++) AddScheduleToken(n, w[i]);
                return true;
            default:
                throw Error(n, $"unknown directive '{Token.Show(w[0])}' (kernel, expect, cpus, pages, pmd, device, page, cpu, device:, ksmd:, kswapd:, kcompactd:, schedule:)");
        }
    }

    private void AddPage(int n, string[] w)
    {
        if (w.Length < 4 || !Names.TryMm(w[1], out int mm))
            throw Error(n, "write 'page mm0 A 5 [rw|ro] [old]', 'page mm0 A zero', 'page mm1 A shared mm0 A' or 'page mm0 A swapped 5'");
        int va = PageIndex(n, w[2]);
        if (w[3] == "swapped")
        {
            if (w.Length != 5 || !int.TryParse(w[4], out int swapped)) throw Error(n, "write 'page mm0 A swapped 5' (the value in the swap slot)");
            _initial.Add((n, new InitialPage(mm, va, InitialPageKind.Swapped, swapped, Writable: false)));
        }
        else if (w[3] == "zero" && w.Length == 4)
        {
            _initial.Add((n, new InitialPage(mm, va, InitialPageKind.Zero, Writable: false)));
        }
        else if (w[3] == "shared")
        {
            if (w.Length != 6 || !Names.TryMm(w[4], out int smm)) throw Error(n, "write 'page mm1 A shared mm0 A'");
            _initial.Add((n, new InitialPage(mm, va, InitialPageKind.SharedWith, Writable: false, SharedMm: smm, SharedVa: PageIndex(n, w[5]))));
        }
        else if (int.TryParse(w[3], out int value))
        {
            bool writable = true, old = false;
            for (int i = 4; i < w.Length; i++)
            {
                if (w[i] == "ro" && i == 4) writable = false;
                else if (w[i] == "old" && !old) old = true;
                else if (w[i] != "rw" || i != 4) throw Error(n, $"expected rw or ro, then optionally old (its accessed bit clear), not '{Token.Show(w[i])}'");
            }
            _initial.Add((n, new InitialPage(mm, va, InitialPageKind.Value, value, writable, Old: old)));
        }
        else throw Error(n, $"expected a value, 'zero', 'shared' or 'swapped', not '{Token.Show(w[3])}'");
    }

    private void ParseCpuLine(int n, string text)
    {
        int colon = text.IndexOf(':');
        if (colon < 0) throw Error(n, "write 'cpu 0 mm0: load A; store A 1'");
        string[] head = text[..colon].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (head.Length is < 2 or > 3 || !int.TryParse(head[1], out int cpu) || cpu < 0 || cpu >= Limits.MaxCpus)
            throw Error(n, $"write 'cpu N [mmX]: ops' with N from 0 to {Limits.MaxCpus - 1}");
        int mm = 0;
        if (head.Length == 3 && !Names.TryMm(head[2], out mm)) throw Error(n, $"'{Token.Show(head[2])}' is not an mm (mm0 or mm1)");
        _rawPrograms.Add((n, text[(colon + 1)..], AgentKind.Cpu, cpu, mm));
    }

    private Scenario Build()
    {
        if (_secondPmd is { } pmd && (pmd.Va == 0 || pmd.Va >= _pages))
            throw Error(pmd.Line, $"'pmd {Names.Page(pmd.Va)}' must name a page after A and inside 'pages {_pages}'");
        var seenCpu = new HashSet<int>();
        var seenAgent = new HashSet<AgentKind>();
        foreach (var raw in _rawPrograms)
        {
            if (raw.Kind == AgentKind.Cpu)
            {
                if (raw.Cpu >= _cpus) throw Error(raw.Line, $"cpu {raw.Cpu}, but 'cpus {_cpus}'");
                if (!seenCpu.Add(raw.Cpu)) throw Error(raw.Line, $"cpu {raw.Cpu} has two programs");
                _programs.Add((raw.Line, new AgentProgram(AgentKind.Cpu, raw.Cpu, raw.Mm, Ops(raw.Line, raw.Text, AgentKind.Cpu))));
                continue;
            }
            if (raw.Kind == AgentKind.Device && _deviceMm is null) throw Error(raw.Line, "a device program needs 'device mm0' first");
            if (!seenAgent.Add(raw.Kind)) throw Error(raw.Line, $"{Names.Of(raw.Kind)} has two programs");
            int mm = raw.Kind == AgentKind.Device ? _deviceMm!.Value : 0;
            _programs.Add((raw.Line, new AgentProgram(raw.Kind, 0, mm, Ops(raw.Line, raw.Text, raw.Kind))));
        }
        ValidateForks();
        ValidateMadvise();
        var scenario = new Scenario
        {
            Kernel = _kernel ?? KernelDefinition.BaseName,
            Expect = _expect,
            ExpectUnder = _expectUnder.ToArray(),
            Cpus = _cpus,
            Pages = _pages,
            SecondPmd = _secondPmd?.Va,
            DeviceMm = _deviceMm,
            InitialPages = _initial.Select(p => p.Page).ToArray(),
            Programs = _programs.Select(p => p.Program).ToArray(),
            Comments = _comments.ToArray(),
        };
        InitialPageRules.Check(_initial, _pages, scenario.Frames, _file);
        AgentLayout layout = scenario.Layout;
        var schedule = new List<SchedAction>();
        foreach (var (line, token) in _schedule)
        {
            if (!ScheduleText.TryParse(token, layout, _pages, out SchedAction a, out int repeat, out string? err))
                throw Error(line, err!);
            if (schedule.Count + repeat > ScenarioLimits.MaxScheduleActions) throw TooLongSchedule(line);
            for (int i = 0; i < repeat; i++) schedule.Add(a);
        }
        scenario = scenario with { Schedule = schedule };
        if (scenario.Mms > 1 && _deviceMm == 1 && HasFork) throw Error(_once.GetValueOrDefault("device"), "the device cannot be bound to mm1 when mm1 is created by fork");
        return scenario;
    }

    /// <summary>Tokens are kept as written until the agents are known; a line of more tokens than any schedule may hold is refused at once.</summary>
    private void AddScheduleToken(int line, string token)
    {
        if (_schedule.Count >= ScenarioLimits.MaxScheduleActions) throw TooLongSchedule(line);
        _schedule.Add((line, token));
    }

    private FileFormatException TooLongSchedule(int line) =>
        Error(line, $"the schedule is longer than {ScenarioLimits.MaxScheduleActions} actions (the tick limit: a run never takes more)");

    private void ValidateMadvise()
    {
        Span<int> zaps = stackalloc int[Limits.MaxPages];
        foreach (var (line, prog) in _programs)
        {
            foreach (Operation op in prog.Ops)
            {
                if (op.Kind != OpKind.MadviseDontneed) continue;
                for (int va = op.Va; va <= op.VaLast; va++)
                {
                    if (++zaps[va] > ScenarioLimits.MaxMadvisePerPage)
                        throw Error(line, $"more than {ScenarioLimits.MaxMadvisePerPage} madvise_dontneed cover page {Names.Page(va)} (the model's linearizability check tracks at most {ScenarioLimits.MaxMadvisePerPage})");
                }
            }
        }
    }

    private bool HasFork => _programs.Any(p => p.Program.Ops.Any(o => o.Kind == OpKind.Fork));

    private void ValidateForks()
    {
        int forks = 0;
        foreach (var (line, prog) in _programs)
        {
            foreach (Operation op in prog.Ops)
            {
                if (op.Kind != OpKind.Fork) continue;
                if (++forks > 1) throw Error(line, "at most one fork per scenario (mm0 forks mm1)");
                if (prog.Mm != 0) throw Error(line, "only mm0 forks (its child is mm1)");
            }
        }
        if (forks == 0) return;
        foreach (var (line, page) in _initial)
        {
            if (page.Mm == 1) throw Error(line, "mm1 is created by the fork; it cannot have initial pages");
        }
    }

    private IReadOnlyList<Operation> Ops(int n, string text, AgentKind agent)
    {
        var ops = new List<Operation>();
        foreach (string part in text.Split(';'))
        {
            string[] w = part.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (w.Length == 0) continue;
            if (!OpKinds.TryParse(w[0], out OpKind kind))
                throw Error(n, $"unknown operation '{Token.Show(w[0])}' (load, store, madvise_dontneed, fork, odirect_read, dma_read, dma_write, ksm_merge, swap_out, migrate)");
            if (ops.Count == ScenarioLimits.MaxOpsPerAgent)
                throw Error(n, $"more than {ScenarioLimits.MaxOpsPerAgent} operations in one program (the model's per-page history holds that many per agent)");
            if (!OpKinds.RunsOn(kind, agent))
                throw Error(n, $"'{w[0]}' cannot run on {(agent == AgentKind.Cpu ? "a CPU" : Names.Of(agent))}");
            ops.Add(kind switch
            {
                OpKind.Fork => Args(n, part, w, 1, () => Operation.Fork()),
                OpKind.KsmMerge => Args(n, part, w, 5, () => Operation.KsmMerge(MmArg(n, w[1]), OpPage(n, w[2]), MmArg(n, w[3]), OpPage(n, w[4]))),
                OpKind.SwapOut => Args(n, part, w, 3, () => Operation.SwapOut(MmArg(n, w[1]), OpPage(n, w[2]))),
                OpKind.Migrate => Args(n, part, w, 3, () => Operation.Migrate(MmArg(n, w[1]), OpPage(n, w[2]))),
                OpKind.MadviseDontneed => Args(n, part, w, 2, () => Range(n, w[1])),
                _ when OpKinds.HasValue(kind) => Args(n, part, w, 3, () => new Operation(kind, OpPage(n, w[1]), OpPage(n, w[1]), Number(n, w[2]))),
                _ => Args(n, part, w, 2, () => new Operation(kind, OpPage(n, w[1]), OpPage(n, w[1]))),
            });
        }
        return ops;
    }

    private Operation Args(int n, string part, string[] w, int words, Func<Operation> make)
    {
        if (w.Length != words) throw Error(n, $"'{Token.Show(part.Trim())}': {w[0]} takes {words - 1} argument(s)");
        return make();
    }

    private Operation Range(int n, string text)
    {
        string[] r = text.Split('-');
        int first = OpPage(n, r[0]);
        int last = r.Length == 2 ? OpPage(n, r[1]) : r.Length == 1 ? first : throw Error(n, $"bad range '{Token.Show(text)}'");
        if (last < first) throw Error(n, $"range {text} runs backwards");
        return Operation.Madvise(first, last);
    }

    private int MmArg(int n, string s) => Names.TryMm(s, out int mm) ? mm : throw Error(n, $"'{Token.Show(s)}' is not an mm (mm0 or mm1)");

    private int Number(int n, string s) => int.TryParse(s, out int v) ? v : throw Error(n, $"'{Token.Show(s)}' is not a number");

    /// <summary>A page name; bounds against 'pages' are checked once the whole file is read.</summary>
    private static int PageIndex(int n, string s, string file)
    {
        if (!Names.TryPage(s, Limits.MaxPages, out int va))
            throw new FileFormatException(file, n, $"'{Token.Show(s)}' is not a page (A to {Names.Page(Limits.MaxPages - 1)})");
        return va;
    }

    private int PageIndex(int n, string s) => PageIndex(n, s, _file);

    private int OpPage(int n, string s)
    {
        int va = PageIndex(n, s);
        if (va >= _pages) throw Error(n, $"page {Token.Show(s)} is outside 'pages {_pages}'");
        return va;
    }

    private int Number(int n, string[] w, int min, int max, string what)
    {
        if (w.Length != 2 || !int.TryParse(w[1], out int v) || v < min || v > max)
            throw Error(n, $"write '{what} N' with N from {min} to {max}");
        return v;
    }

    private FileFormatException Error(int line, string reason) => new(_file, line, reason);
}
