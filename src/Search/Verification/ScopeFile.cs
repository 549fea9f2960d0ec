using Fuzz.Formats.Text;
using Fuzz.Model.Machine;
using Fuzz.Model.Scenarios;

namespace Fuzz.Search.Verification;

/// <summary>
/// Scope files (scopes/*.scope): a header 'scope 1', then one key per line; '#' comments. Every
/// key is optional except 'name'; an unknown key, a bad value or a repeated key is an error naming
/// the file and the line.
/// <code>
/// scope 1
/// name seconds
/// describe one page; loads, stores and MADV_DONTNEED on two CPUs; up to three operations
/// ops 1-3                 # total operations: lo-hi, or N for 1-N
/// ops-per-agent 2
/// cpus 2                  # at most
/// pages 1                 # at most
/// mms 1                   # 2: a second process or fork's child
/// page-tables 2           # 2: also with a second PTE page (its own split PTL) from each page on
/// frames auto             # the model's count for the scenario (the only value for now)
/// swap-slots auto         # the model's 16 (the only value for now)
/// agents cpu device       # cpu device ksmd kswapd kcompactd (the PRI worker comes with the device)
/// kinds load store madvise_dontneed dma_read
/// initial none zero value value-ro swapped shared
/// values distinct         # or: any (every partition of the writes into equal values)
/// max-states 50000000     # per scenario
/// </code>
/// </summary>
public static class ScopeFile
{
    public const int FormatVersion = 1;

    private static readonly string[] Keys =
        ["name", "describe", "ops", "ops-per-agent", "cpus", "pages", "mms", "page-tables", "frames", "swap-slots", "agents", "kinds", "initial", "values", "max-states", "preemptions", "shape"];

    public static Scope Load(string path) => Parse(File.ReadAllText(path), path);

    public static Scope Parse(string text, string file)
    {
        var scope = new Scope();
        var seen = new HashSet<string>();
        var description = new List<string>();
        var shapes = new List<ProgramShape>();
        var shapeLines = new List<int>();
        int initialLine = 0;
        bool header = false;
        foreach (SourceLine line in SourceLine.Read(text))
        {
            if (line.Text.Length == 0) continue;
            string[] w = line.Words;
            FileFormatException Bad(string why) => new(file, line.Number, why);
            if (!header)
            {
                if (w.Length != 2 || w[0] != "scope" || !int.TryParse(w[1], out int v)) throw Bad($"the first line must be 'scope {FormatVersion}'");
                if (v != FormatVersion) throw Bad($"scope file format {v} is not supported (this tool reads {FormatVersion})");
                header = true;
                continue;
            }
            string key = w[0];
            if (!Keys.Contains(key)) throw Bad($"unknown key '{key}' (keys: {string.Join(", ", Keys)})");
            if (key is not ("describe" or "shape") && !seen.Add(key)) throw Bad($"'{key}' given twice");
            string[] args = w[1..];
            if (args.Length == 0) throw Bad($"'{key}' needs a value");
            switch (key)
            {
                case "name":
                    if (args.Length != 1 || args[0].Any(ch => !(char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.'))) throw Bad("'name' takes one word (letters, digits, '-', '_', '.')");
                    scope = scope with { Name = args[0] };
                    break;
                case "describe":
                    description.Add(string.Join(' ', args));
                    break;
                case "ops":
                    var (lo, hi) = Range(args, 1, 12, Bad);
                    scope = scope with { MinOps = lo, MaxOps = hi };
                    break;
                case "ops-per-agent":
                    scope = scope with { MaxOpsPerAgent = Number(args, 1, 12, Bad) };
                    break;
                case "cpus":
                    scope = scope with { MaxCpus = Number(args, 1, Limits.MaxCpus, Bad) };
                    break;
                case "pages":
                    scope = scope with { MaxPages = Number(args, 1, Limits.MaxPages, Bad) };
                    break;
                case "mms":
                    scope = scope with { MaxMms = Number(args, 1, Limits.MaxMms, Bad) };
                    break;
                case "page-tables":
                    // 2: every scenario of two or more pages also with a second PTE page (its own split PTL)
                    // starting at each page but the first ("pmd B" in a scenario file).
                    scope = scope with { PageTables = Number(args, 1, Limits.MaxPageTables, Bad) };
                    break;
                // The model sizes the machine itself (1 + 3 frames per page per mm + 4; 16 swap slots) and a run
                // that needs more ends as a model limit, never as coherent; a scope cannot set them yet.
                case "frames":
                    if (args is not ["auto"]) throw Bad($"'frames' is 'auto': the model gives each scenario 1 + 3 per page per mm + 4 frames (at most {Limits.MaxFrames})");
                    break;
                case "swap-slots":
                    if (args is not ["auto"]) throw Bad($"'swap-slots' is 'auto': the model has {Limits.MaxSwapSlots} swap slots");
                    break;
                case "agents":
                    scope = scope with { Agents = Set(args, AgentName, "agent", Bad) };
                    break;
                case "kinds":
                    scope = scope with { Kinds = Set(args, KindName, "operation kind", Bad) };
                    break;
                case "initial":
                    initialLine = line.Number;
                    scope = scope with { Initial = Set(args, InitialName, "initial state", Bad) };
                    break;
                case "values":
                    if (args is not (["distinct"] or ["any"])) throw Bad("'values' is 'distinct' or 'any'");
                    scope = scope with { EqualValues = args[0] == "any" };
                    break;
                case "preemptions":
                    if (args.Length != 1 || !int.TryParse(args[0], out int pre) || pre < 0 || pre > 100) throw Bad("'preemptions' takes a number from 0 to 100");
                    scope = scope with { Preemptions = pre };
                    break;
                case "shape":
                    if (AgentName(args[0]) is not { } agent) throw Bad($"'shape' starts with an agent kind ({string.Join(", ", AgentNames)}), not '{args[0]}'");
                    int? shapeMm = args.Length > 1 && args[1] is "mm0" or "mm1" ? args[1][2] - '0' : null;
                    string[] shapeKinds = args[(shapeMm is null ? 1 : 2)..];
                    if (shapeKinds.Length == 0) throw Bad("'shape' needs the agent's operation kinds, in order");
                    var kinds = new List<OpKind>();
                    foreach (string a in shapeKinds)
                    {
                        if (KindName(a) is not { } k) throw Bad($"unknown operation kind '{a}'");
                        if (!OpKinds.RunsOn(k, agent)) throw Bad($"'{a}' does not run on {args[0]}");
                        kinds.Add(k);
                    }
                    shapes.Add(new ProgramShape(agent, shapeMm, kinds));
                    shapeLines.Add(line.Number);
                    break;
                case "max-states":
                    if (args.Length != 1 || !long.TryParse(args[0], out long max) || max < 1) throw Bad("'max-states' takes a whole number from 1");
                    scope = scope with { MaxStates = max };
                    break;
            }
        }
        if (!header) throw new FileFormatException(file, 0, $"empty file: expected 'scope {FormatVersion}'");
        if (!seen.Contains("name")) throw new FileFormatException(file, 0, "missing 'name'");
        if (scope.MinOps > scope.MaxOps) throw new FileFormatException(file, 0, "'ops' range is empty");
        if (!scope.Agents.Contains(AgentKind.Cpu) && scope.Agents.Count == 0) throw new FileFormatException(file, 0, "'agents' is empty");
        if (!scope.Kinds.Any(scope.Allows)) throw new FileFormatException(file, 0, "no operation kind in 'kinds' runs on an agent in 'agents'");
        if (scope.Initial.Contains(InitialKind.Shared) && scope.MaxMms < 2) throw new FileFormatException(file, 0, "'initial shared' needs 'mms 2'");
        // mm1's page can share only a page mm0 holds with a value: without one the scope has no shared page at all.
        if (scope.Initial.Contains(InitialKind.Shared) && !scope.Initial.Contains(InitialKind.Value) && !scope.Initial.Contains(InitialKind.ValueReadOnly))
            throw new FileFormatException(file, initialLine, "'initial shared' needs 'value' or 'value-ro' too (mm1's page shares mm0's page, which holds a value)");
        scope = scope with { Description = description, Shapes = shapes };
        for (int i = 0; i < shapes.Count; i++)
        {
            ProgramShape sh = shapes[i];
            FileFormatException Bad(string why) => new(file, shapeLines[i], why);
            if (!scope.Agents.Contains(sh.Agent)) throw Bad($"'shape' names an agent kind 'agents' does not list");
            foreach (OpKind k in sh.Kinds)
            {
                if (!scope.Kinds.Contains(k)) throw Bad($"'shape' names an operation kind 'kinds' does not list ({OpKinds.Name(k)})");
            }
            if (sh.Mm >= scope.MaxMms) throw Bad($"'shape' runs in mm{sh.Mm}; 'mms' is {scope.MaxMms}");
            if (sh.Kinds.Count > scope.MaxOpsPerAgent) throw Bad($"'shape' has {sh.Kinds.Count} operations; 'ops-per-agent' is {scope.MaxOpsPerAgent}");
        }
        if (shapes.Count > 0)
        {
            int ops = shapes.Sum(x => x.Kinds.Count), cpus = shapes.Count(x => x.Agent == AgentKind.Cpu);
            if (ops < scope.MinOps || ops > scope.MaxOps) throw new FileFormatException(file, shapeLines[0], $"the shapes have {ops} operations, outside 'ops'");
            if (cpus > scope.MaxCpus) throw new FileFormatException(file, shapeLines[0], $"the shapes need {cpus} CPUs; 'cpus' is {scope.MaxCpus}");
            if (shapes.GroupBy(x => x.Agent).Any(g => g.Key != AgentKind.Cpu && g.Count() > 1)) throw new FileFormatException(file, shapeLines[0], "one shape per agent that is not a CPU");
        }
        return scope;
    }

    private static int Number(string[] args, int min, int max, Func<string, FileFormatException> bad)
    {
        if (args.Length != 1 || !int.TryParse(args[0], out int n) || n < min || n > max) throw bad($"takes a number from {min} to {max}");
        return n;
    }

    private static (int, int) Range(string[] args, int min, int max, Func<string, FileFormatException> bad)
    {
        if (args.Length == 1)
        {
            string[] p = args[0].Split('-');
            if (p.Length == 2 && int.TryParse(p[0], out int lo) && int.TryParse(p[1], out int hi) && lo >= min && hi <= max && lo <= hi) return (lo, hi);
            if (p.Length == 1 && int.TryParse(p[0], out int n) && n >= min && n <= max) return (min, n);
        }
        throw bad($"takes a number or a range 'lo-hi' within {min}-{max}");
    }

    private static HashSet<T> Set<T>(string[] args, Func<string, T?> parse, string what, Func<string, FileFormatException> bad) where T : struct
    {
        var set = new HashSet<T>();
        foreach (string a in args)
        {
            if (parse(a) is not { } v) throw bad($"unknown {what} '{a}'");
            if (!set.Add(v)) throw bad($"{what} '{a}' listed twice");
        }
        return set;
    }

    private static readonly string[] AgentNames = ["cpu", "device", "ksmd", "kswapd", "kcompactd"];

    private static AgentKind? AgentName(string s) => s switch
    {
        "cpu" => AgentKind.Cpu,
        "device" => AgentKind.Device,
        "ksmd" => AgentKind.Ksmd,
        "kswapd" => AgentKind.Kswapd,
        "kcompactd" => AgentKind.Kcompactd,
        _ => null,
    };

    private static OpKind? KindName(string s) => OpKinds.TryParse(s, out OpKind k) ? k : null;

    private static InitialKind? InitialName(string s) => s switch
    {
        "none" => InitialKind.None,
        "zero" => InitialKind.Zero,
        "value" => InitialKind.Value,
        "value-ro" => InitialKind.ValueReadOnly,
        "swapped" => InitialKind.Swapped,
        "shared" => InitialKind.Shared,
        _ => null,
    };
}
