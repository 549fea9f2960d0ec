using System.Text;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Oracles;

namespace Fuzz.Campaigns;

/// <summary>
/// What a campaign is, written once into its directory as campaign.txt: the kernel, the scenario
/// space, the seed, the shard and the worker count fix every scenario it runs; the budget says when
/// it stops. Given the same file, a campaign's workers run the same scenarios and find the same
/// failures (the time budget only decides how far they get).
/// </summary>
public sealed record CampaignManifest
{
    public const int Version = 1;
    public const string FileName = "campaign.txt";

    /// <summary>How findings name the kernel: v4.14, a name from kernels/, or a file in findings/.</summary>
    public required string Kernel { get; init; }
    public required ulong Seed { get; init; }
    public Shard Shard { get; init; } = Shard.Whole;
    public required int Workers { get; init; }
    /// <summary>Wall-clock budget of the whole campaign (all sessions), or null.</summary>
    public long? BudgetSeconds { get; init; }
    /// <summary>Scenario budget per worker (reproducible runs), or null.</summary>
    public long? ScenariosPerWorker { get; init; }
    /// <summary>Stop after this many distinct failures (0: run the whole budget).</summary>
    public int MaxFailures { get; init; }
    public OracleId? Oracle { get; init; }
    public GeneratorSettings Settings { get; init; } = GeneratorSettings.Default;
    public string Created { get; init; } = "";
    /// <summary>Campaign directories this one was merged from (fuzz merge), else empty.</summary>
    public IReadOnlyList<string> MergedFrom { get; init; } = [];

    public string Write()
    {
        var b = new StringBuilder();
        b.Append("# A fuzz campaign: 'fuzz campaign --resume DIR' continues it, 'fuzz report DIR' redraws its report.\n");
        b.Append($"campaign {Version}\n");
        b.Append($"kernel {Kernel}\n");
        b.Append($"seed {Seeds.Format(Seed)}\n");
        b.Append($"shard {Shard}\n");
        b.Append($"workers {Workers}\n");
        if (BudgetSeconds is { } sec) b.Append($"budget-seconds {sec}\n");
        if (ScenariosPerWorker is { } n) b.Append($"scenarios-per-worker {n}\n");
        b.Append($"max-failures {MaxFailures}\n");
        b.Append($"oracle {(Oracle is { } o ? OracleNames.Name(o) : "any")}\n");
        if (Created.Length > 0) b.Append($"created {Created}\n");
        foreach (string line in Settings.Describe().Zip(GeneratorSettings.Default.Describe()).Where(p => p.First != p.Second).Select(p => p.First))
            b.Append($"setting {line}\n");
        foreach (string dir in MergedFrom) b.Append($"merged-from {dir}\n");
        return b.ToString();
    }

    private static readonly string[] Once = ["kernel", "seed", "shard", "workers", "budget-seconds", "scenarios-per-worker", "max-failures", "oracle", "created"];
    private static readonly string[] Repeated = ["setting", "merged-from"];

    /// <summary>Read campaign.txt: every key known, every value within <see cref="CampaignLimits"/>; errors name the line.</summary>
    public static CampaignManifest Parse(string text, string file)
    {
        KeyValueFile kv = KeyValueFile.Parse(text, file, "campaign", Version, Once, Repeated);
        if (!Seeds.TryParse(kv.Text("seed"), out ulong seed)) throw new FileFormatException(file, kv.LineOf("seed"), $"seed must be hexadecimal, not '{Token.Show(kv.Text("seed"))}'");
        if (!Shard.TryParse(kv.Text("shard", "0/1"), out Shard shard))
            throw new FileFormatException(file, kv.LineOf("shard"), $"shard must be i/n with 0 <= i < n <= {CampaignLimits.MaxShards}");
        OracleId? oracle = null;
        string oracleName = kv.Text("oracle", "any");
        if (oracleName != "any")
        {
            if (!OracleNames.TryParse(oracleName, out OracleId o)) throw new FileFormatException(file, kv.LineOf("oracle"), $"unknown oracle '{Token.Show(oracleName)}' (any, {OracleNames.AllNames})");
            oracle = o;
        }
        GeneratorSettings settings = GeneratorSettings.Parse(kv.All("setting").Select(s => (s.Line, string.Join(' ', s.Values))), file);
        var mergedFrom = kv.All("merged-from").Select(m => string.Join(' ', m.Values)).ToList();
        int workers = (int)kv.Long("workers", 1, mergedFrom.Count > 0 ? CampaignLimits.MaxMergedWorkers : CampaignLimits.MaxWorkers);
        string kernel = kv.Text("kernel");
        if (kv.Values("kernel")!.Length != 1) throw new FileFormatException(file, kv.LineOf("kernel"), "write 'kernel NAME' (one word: v4.14, a name from kernels/, or a file in findings/)");
        return new CampaignManifest
        {
            Kernel = kernel,
            Seed = seed,
            Shard = shard,
            Workers = workers,
            BudgetSeconds = kv.Has("budget-seconds") ? kv.Long("budget-seconds", 1, CampaignLimits.MaxBudgetSeconds) : null,
            ScenariosPerWorker = kv.Has("scenarios-per-worker") ? kv.Long("scenarios-per-worker", 1, CampaignLimits.MaxCount) : null,
            MaxFailures = (int)kv.Long("max-failures", 0, CampaignLimits.MaxFailures, 0),
            Oracle = oracle,
            Settings = settings,
            Created = kv.Text("created", ""),
            MergedFrom = mergedFrom,
        };
    }

    /// <summary>The line of campaign.txt that names the kernel (for errors about it).</summary>
    public static int KernelLine(string text, string file) =>
        KeyValueFile.Parse(text, file, "campaign", Version, Once, Repeated).LineOf("kernel");

    /// <summary>What must agree for two campaigns to be merged: the same scenarios would mean the same thing.</summary>
    public string Identity => $"{Kernel}|{Seeds.Format(Seed)}|{string.Join(",", Settings.Describe())}|{(Oracle is { } o ? OracleNames.Name(o) : "any")}";
}
