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
        ["name", "describe", "ops", "ops-per-agent", "cpus", "pages", "mms", "page-tables", "frames", "swap-slots", "agents", "kinds", "initial", "values", "max-states"];

    public static Scope Load(string path) => Parse(File.ReadAllText(path), path);

    public static Scope Parse(string text, string file)
    {
        var scope = new Scope();
        var seen = new HashSet<string>();
        var description = new List<string>();
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
            if (key != "describe" && !seen.Add(key)) throw Bad($"'{key}' given twice");
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
                    scope = scope with { Initial = Set(args, InitialName, "initial state", Bad) };
                    break;
                case "values":
                    if (args is not (["distinct"] or ["any"])) throw Bad("'values' is 'distinct' or 'any'");
                    scope = scope with { EqualValues = args[0] == "any" };
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
        return scope with { Description = description };
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
