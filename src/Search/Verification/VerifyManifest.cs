using System.Text;
using Fuzz.Campaigns;
using Fuzz.Formats.Text;

namespace Fuzz.Search.Verification;

/// <summary>
/// What a verify run is, written once into its directory as verify.txt: the kernel, the scope (its
/// file is copied beside as scope.scope), the shard and the workers. The scenarios and their
/// order follow from the scope alone, so a resumed or merged run means the same scenarios.
/// </summary>
public sealed record VerifyManifest
{
    public const int Version = 1;
    public const string FileName = "verify.txt";

    public required string Kernel { get; init; }
    public required string ScopeName { get; init; }
    /// <summary>FNV-1a of the scope file's text: runs of different scopes are never merged or resumed into each other.</summary>
    public required ulong ScopeHash { get; init; }
    public Shard Shard { get; init; } = Shard.Whole;
    public required int Workers { get; init; }
    public long? BudgetSeconds { get; init; }
    public string Created { get; init; } = "";
    public IReadOnlyList<string> MergedFrom { get; init; } = [];

    public string Write()
    {
        var b = new StringBuilder();
        b.Append("# A verify run: 'fuzz verify --resume DIR' continues it.\n");
        b.Append($"verify {Version}\n");
        b.Append($"kernel {Kernel}\n");
        b.Append($"scope {ScopeName}\n");
        b.Append($"scope-hash {ScopeHash:x16}\n");
        b.Append($"shard {Shard}\n");
        b.Append($"workers {Workers}\n");
        if (BudgetSeconds is { } s) b.Append($"budget-seconds {s}\n");
        if (Created.Length > 0) b.Append($"created {Created}\n");
        foreach (string m in MergedFrom) b.Append($"merged-from {m}\n");
        return b.ToString();
    }

    /// <summary>The keys verify.txt has; any other is an error, not a setting silently ignored.</summary>
    private static readonly string[] Once = ["kernel", "scope", "scope-hash", "shard", "workers", "budget-seconds", "created"];
    private static readonly string[] Repeated = ["merged-from"];

    public static VerifyManifest Parse(string text, string file)
    {
        KeyValueFile kv = KeyValueFile.Parse(text, file, "verify", Version, Once, Repeated);
        if (!ulong.TryParse(kv.Text("scope-hash"), System.Globalization.NumberStyles.HexNumber, null, out ulong hash))
            throw new FileFormatException(file, kv.LineOf("scope-hash"), "scope-hash must be hexadecimal");
        if (!Shard.TryParse(kv.Text("shard", "0/1"), out Shard shard)) throw new FileFormatException(file, kv.LineOf("shard"), "shard must be i/n with 0 <= i < n");
        int workers = (int)kv.Long("workers", 1, CampaignLimits.MaxMergedWorkers);
        return new VerifyManifest
        {
            Kernel = kv.Text("kernel"),
            ScopeName = kv.Text("scope"),
            ScopeHash = hash,
            Shard = shard,
            Workers = workers,
            BudgetSeconds = kv.Values("budget-seconds") is null ? null : kv.Long("budget-seconds", 1, CampaignLimits.MaxBudgetSeconds),
            Created = kv.Text("created", ""),
            MergedFrom = kv.All("merged-from").Select(m => string.Join(' ', m.Values)).ToList(),
        };
    }
}
