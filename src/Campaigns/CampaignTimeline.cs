using System.Text;
using Fuzz.Formats.Text;

namespace Fuzz.Campaigns;

/// <summary>
/// Throughput and memory over the campaign's life, sampled every few seconds into timeline.txt
/// (rewritten atomically): elapsed time, scenarios and steps so far (all workers), distinct
/// failures, and the process's working set and peak working set.
/// </summary>
public sealed class CampaignTimeline
{
    public const int Version = 1;

    public readonly record struct Sample(long ElapsedMs, long Scenarios, long Ticks, int Distinct, long WorkingSet, long PeakWorkingSet);

    public List<Sample> Samples { get; } = new();

    public long LastElapsedMs => Samples.Count == 0 ? 0 : Samples[^1].ElapsedMs;

    public string Write()
    {
        var b = new StringBuilder("# elapsed-ms scenarios simulated-steps distinct-failures working-set-bytes peak-working-set-bytes\n");
        b.Append($"timeline {Version}\n");
        foreach (Sample s in Samples) b.Append($"sample {s.ElapsedMs} {s.Scenarios} {s.Ticks} {s.Distinct} {s.WorkingSet} {s.PeakWorkingSet}\n");
        return b.ToString();
    }

    /// <summary>Read timeline.txt: six whole numbers per sample, each within <see cref="CampaignLimits"/>, in time order; errors name the line.</summary>
    public static CampaignTimeline Parse(string text, string file)
    {
        KeyValueFile kv = KeyValueFile.Parse(text, file, "timeline", Version, [], ["sample"]);
        var t = new CampaignTimeline();
        long[] max = [CampaignLimits.MaxElapsedMs, CampaignLimits.MaxTotal, CampaignLimits.MaxTotal, CampaignLimits.MaxFailures, CampaignLimits.MaxBytes, CampaignLimits.MaxBytes];
        foreach (var (line, v) in kv.All("sample"))
        {
            var n = new long[6];
            bool ok = v.Length == 6;
            for (int i = 0; ok && i < 6; i++) ok = long.TryParse(v[i], out n[i]) && n[i] >= 0 && n[i] <= max[i];
            if (!ok)
                throw new FileFormatException(file, line, $"a sample is six whole numbers from 0 (at most: elapsed-ms {max[0]}, scenarios and steps {max[1]}, failures {max[3]}, bytes {max[4]})");
            if (t.Samples.Count > 0 && n[0] < t.Samples[^1].ElapsedMs) throw new FileFormatException(file, line, "samples must be in time order (elapsed-ms goes back)");
            t.Samples.Add(new Sample(n[0], n[1], n[2], (int)n[3], n[4], n[5]));
        }
        return t;
    }

    public static CampaignTimeline Load(string path) =>
        File.Exists(path) ? Parse(TextFile.Read(path), path) : new CampaignTimeline();

    public void Save(string path) => AtomicFile.Write(path, Write());
}
