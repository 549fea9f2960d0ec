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

    public static WorkerCheckpoint Parse(string text, string file)
    {
        KeyValueFile kv = KeyValueFile.Parse(text, file, "worker", Version);
        var stats = new FuzzStats();
        long done = kv.Long("done");
        stats.Restore(done, kv.Long("ticks", 0),
            kv.Longs("ops", stats.OpsCompleted.Length),
            kv.Longs("oracle-checks", stats.OracleChecks.Length),
            kv.Longs("violations", stats.Violations.Length),
            kv.Longs("overlaps", stats.Overlaps.Length),
            kv.Longs("steps", stats.StepHits.Length));
        return new WorkerCheckpoint((int)kv.Long("index"), done, kv.Long("elapsed-ms", 0), stats);
    }
}
