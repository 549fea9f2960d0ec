using System.Globalization;
using System.Reflection;
using Fuzz.Formats.Text;

namespace Fuzz.Generators;

/// <summary>
/// The bounds and weights of the scenario space, as plain data. Every field can be set in a
/// settings file of "name = value" lines (fuzz run --settings FILE); 'fuzz settings' prints them.
/// </summary>
public sealed record GeneratorSettings
{
    /// <summary>CPUs per scenario.</summary>
    public int MinCpus { get; init; } = 2;
    public int MaxCpus { get; init; } = 3;
    /// <summary>Virtual pages per mm: few, so that operations collide.</summary>
    public int MinPages { get; init; } = 1;
    public int MaxPages { get; init; } = 2;
    /// <summary>Operations per agent program.</summary>
    public int MinOps { get; init; } = 1;
    public int MaxOps { get; init; } = 3;
    /// <summary>Chance (percent) that the scenario has a device bound to mm0.</summary>
    public int DevicePercent { get; init; } = 60;
    /// <summary>Chance (percent) that a CPU runs no program (it still holds TLB entries).</summary>
    public int IdleCpuPercent { get; init; } = 10;
    /// <summary>Chance (percent) that an operation reuses an address already used (race bias).</summary>
    public int CollidePercent { get; init; } = 75;

    // CPU operation mix (relative weights).
    public int LoadWeight { get; init; } = 30;
    public int StoreWeight { get; init; } = 40;
    public int MadviseWeight { get; init; } = 20;
    /// <summary>read(2) with O_DIRECT into a page: pinned with get_user_pages_fast, written by DMA.</summary>
    public int OdirectWeight { get; init; } = 6;
    /// <summary>Chance (percent) that one mm0 CPU forks somewhere in its program (mm1 is the child).</summary>
    public int ForkPercent { get; init; } = 20;
    /// <summary>Of a fork's scenarios, the chance (percent) that a CPU runs in the child.</summary>
    public int ChildCpuPercent { get; init; } = 60;
    /// <summary>Largest MADV_DONTNEED range, in pages.</summary>
    public int MaxMadvisePages { get; init; } = 2;

    // Kernel threads: the chance (percent) that each has a program, and how long it is.
    public int KsmdPercent { get; init; } = 25;
    public int KswapdPercent { get; init; } = 25;
    public int KcompactdPercent { get; init; } = 25;
    public int MaxKthreadOps { get; init; } = 2;
    /// <summary>
    /// Reclaim passes per page kswapd targets: each swap_out is repeated 1 to this many times, so
    /// that a page activated because it was young, or left under writeback, is found again by a
    /// later pass (and reclaimed, or freed once its write completed).
    /// </summary>
    public int MaxReclaimPasses { get; init; } = 3;
    /// <summary>Chance (percent) that a store writes a value already written elsewhere, so that KSM finds identical pages.</summary>
    public int DuplicateValuePercent { get; init; } = 20;

    // Device operation mix (relative weights).
    public int DmaReadWeight { get; init; } = 60;
    public int DmaWriteWeight { get; init; } = 40;

    // Initial state of each page of mm0 (relative weights).
    public int PageNoneWeight { get; init; } = 25;
    public int PageZeroWeight { get; init; } = 30;
    public int PageValueWeight { get; init; } = 45;
    public int PageSwappedWeight { get; init; } = 8;
    /// <summary>
    /// Chance (percent), with two pages or more, that the later pages sit in a second PTE page
    /// ("pmd B"), under their own page-table lock.
    /// </summary>
    public int SecondPmdPercent { get; init; } = 25;
    /// <summary>Chance (percent) that a second process (mm1) shares mm0's pages copy-on-write (when nobody forks).</summary>
    public int SecondProcessPercent { get; init; } = 20;
    /// <summary>Of mm0's writable value pages, the chance (percent) that one starts read-only.</summary>
    public int ReadOnlyPercent { get; init; } = 15;
    /// <summary>Of mm0's value pages, the chance (percent) that one starts old (accessed bit clear), so that reclaim's first pass may take it.</summary>
    public int OldPagePercent { get; init; } = 40;

    /// <summary>Chance (percent) that a schedule token is a hardware fill or eviction.</summary>
    public int HardwarePercent { get; init; } = 15;
    /// <summary>Chance (percent) that a schedule token repeats the previous agent (bursts of one agent running).</summary>
    public int StickyPercent { get; init; } = 75;
    /// <summary>Schedule tokens per operation; the default policy finishes whatever is left.</summary>
    public int ScheduleTokensPerOp { get; init; } = 14;

    public static GeneratorSettings Default { get; } = new();

    public int CpuOpWeight => LoadWeight + StoreWeight + MadviseWeight + OdirectWeight;

    public int PageWeight => PageNoneWeight + PageZeroWeight + PageValueWeight + PageSwappedWeight;

    public int DeviceOpWeight => DmaReadWeight + DmaWriteWeight;

    /// <summary>
    /// Read a settings file: "Name = value" per line, '#' comments. Unknown or repeated names, values
    /// out of range and settings that cannot generate anything are errors naming the file and line.
    /// </summary>
    public static GeneratorSettings Load(string path) => Parse(TextFile.Read(path), path);

    public static GeneratorSettings Parse(string text, string file) =>
        Parse(SourceLine.Read(text).Where(l => l.Text.Length > 0).Select(l => (l.Number, l.Text)), file);

    /// <summary>"Name = value" lines with their line numbers in <paramref name="file"/> (campaign.txt keeps them as 'setting' lines).</summary>
    public static GeneratorSettings Parse(IEnumerable<(int Line, string Text)> lines, string file)
    {
        GeneratorSettings s = Default;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int last = 0;
        foreach (var (number, text) in lines)
        {
            last = number;
            int eq = text.IndexOf('=');
            if (eq < 0) throw new FileFormatException(file, number, "write 'Name = value'");
            string name = text[..eq].Trim();
            string value = text[(eq + 1)..].Trim();
            PropertyInfo? p = Properties.FirstOrDefault(p => p.Name == name);
            if (p is null) throw new FileFormatException(file, number, $"unknown setting '{Token.Show(name)}'; settings are: {string.Join(", ", Properties.Select(p => p.Name))}");
            if (seen.TryGetValue(name, out int first)) throw new FileFormatException(file, number, $"'{name}' is set twice (first at line {first})");
            seen[name] = number;
            int max = MaxOf(name);
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < 0 || v > max)
                throw new FileFormatException(file, number, $"'{name}' takes a whole number from 0 to {max}, not '{Token.Show(value)}'");
            s = s with { };
            p.SetValue(s, v);
        }
        string? problem = s.Problem();
        if (problem is not null) throw new FileFormatException(file, seen.Count == 0 ? 0 : last, problem);
        return s;
    }

    /// <summary>Chances are percentages; weights are relative, bounded so that their sums cannot overflow.</summary>
    private static int MaxOf(string name) =>
        name.EndsWith("Percent", StringComparison.Ordinal) ? 100 :
        name.EndsWith("Weight", StringComparison.Ordinal) ? MaxWeight :
        1000;

    public const int MaxWeight = 1_000_000;

    /// <summary>Why these settings cannot generate anything, or null.</summary>
    public string? Problem()
    {
        if (MinCpus < 1 || MaxCpus > Model.Machine.Limits.MaxCpus || MinCpus > MaxCpus) return $"CPUs must be within 1..{Model.Machine.Limits.MaxCpus}, MinCpus <= MaxCpus";
        if (MinPages < 1 || MaxPages > Model.Machine.Limits.MaxPages || MinPages > MaxPages) return $"pages must be within 1..{Model.Machine.Limits.MaxPages}, MinPages <= MaxPages";
        if (MinOps < 1 || MinOps > MaxOps || MaxOps > 8) return "operations per agent must be within 1..8, MinOps <= MaxOps";
        if (CpuOpWeight == 0) return "all CPU operation weights are 0";
        if (DevicePercent > 0 && DeviceOpWeight == 0) return "a device is possible but both DMA weights are 0";
        if (MaxMadvisePages < 1 || MaxMadvisePages > Model.Machine.Limits.MaxPages) return $"MaxMadvisePages must be within 1..{Model.Machine.Limits.MaxPages}";
        if (PageWeight == 0) return "all page weights are 0";
        if (MaxKthreadOps < 1 || MaxKthreadOps > 8) return "MaxKthreadOps must be within 1..8";
        if (MaxReclaimPasses < 1 || MaxReclaimPasses > 4) return "MaxReclaimPasses must be within 1..4";
        if (OldPagePercent > 100) return "OldPagePercent must be at most 100";
        if (ScheduleTokensPerOp > 200) return "ScheduleTokensPerOp must be at most 200";
        return null;
    }

    public IEnumerable<string> Describe() => Properties.Select(p => $"{p.Name} = {p.GetValue(this)}");

    private static readonly PropertyInfo[] Properties = typeof(GeneratorSettings)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(int) && p.CanWrite)
        .ToArray();
}
