using System.Text;
using Fuzz.Formats.Text;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Campaigns;

/// <summary>
/// One worker's progress, rewritten atomically every few seconds as workers/worker-N.txt: how many
/// scenarios it has run (its next scenario index follows from that), for how long, and what they
/// exercised. A finding is saved before the checkpoint that passes it, so a resumed worker never
/// skips a failure it had not yet saved: at worst it runs a few scenarios again.
/// </summary>
public sealed record WorkerCheckpoint(int Worker, long Done, long ElapsedMs, FuzzStats Stats)
{
    public const int Version = 1;

    public static string FileName(int worker) => $"worker-{worker}.txt";

    public string Write()
    {
        var b = new StringBuilder();
        b.Append($"worker {Version}\n");
        b.Append($"index {Worker}\n");
        b.Append($"done {Done}\n");
        b.Append($"elapsed-ms {ElapsedMs}\n");
        b.Append($"ticks {Stats.Ticks}\n");
        Row(b, "ops", Stats.OpsCompleted);
        Row(b, "oracle-checks", Stats.OracleChecks);
        Row(b, "violations", Stats.Violations);
        Row(b, "overlaps", Stats.Overlaps);
        Row(b, "steps", Stats.StepHits);
        return b.ToString();
    }

    private static void Row(StringBuilder b, string key, long[] values) =>
        b.Append(key).Append(' ').AppendJoin(' ', values).Append('\n');

    private static readonly string[] Keys = ["index", "done", "elapsed-ms", "ticks", "ops", "oracle-checks", "violations", "overlaps", "steps"];

    /// <summary>Read a checkpoint: every key known, every count within <see cref="CampaignLimits"/>; errors name the line.</summary>
    public static WorkerCheckpoint Parse(string text, string file)
    {
        KeyValueFile kv = KeyValueFile.Parse(text, file, "worker", Version, Keys);
        var stats = new FuzzStats();
        long max = CampaignLimits.MaxCount;
        long done = kv.Long("done", 0, max);
        stats.Restore(done, kv.Long("ticks", 0, max, 0),
            kv.Longs("ops", stats.OpsCompleted.Length, max),
            kv.Longs("oracle-checks", stats.OracleChecks.Length, max),
            kv.Longs("violations", stats.Violations.Length, max),
            kv.Longs("overlaps", stats.Overlaps.Length, max),
            kv.Longs("steps", stats.StepHits.Length, max));
        return new WorkerCheckpoint((int)kv.Long("index", 0, CampaignLimits.MaxMergedWorkers - 1), done, kv.Long("elapsed-ms", 0, CampaignLimits.MaxElapsedMs, 0), stats);
    }
}
