using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Scenarios;

namespace Fuzz.Campaigns;

/// <summary>
/// fuzz merge: campaigns of the same kernel, seed and scenario space (typically the shards of one
/// run on several machines) become one directory: the union of their distinct failures (deduplicated
/// by oracle and canonical scenario), every worker's statistics, and their timelines added up.
/// </summary>
public static class CampaignMerge
{
    public static CampaignDirectory Merge(string output, IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 0) throw new ArgumentException("merge needs at least one campaign directory");
        var sources = inputs.Select(i => new CampaignDirectory(i)).ToList();
        var manifests = sources.Select(s => s.LoadManifest()).ToList();
        for (int i = 1; i < manifests.Count; i++)
        {
            if (manifests[i].Identity != manifests[0].Identity)
            {
                throw new FileFormatException(sources[i].ManifestPath, 0,
                    $"not the same campaign as {sources[0].Root}: kernel, seed, settings and oracle must agree to merge");
            }
        }
        // Only the disjoint shards of one split add up: the same seed means the same scenarios, so two
        // whole campaigns, the same shard twice, or shards of different splits (0/2 and 0/4) overlap.
        var shards = manifests.Select(m => m.Shard).ToList();
        if (shards.Select(x => x.Count).Distinct().Count() > 1)
            throw new ArgumentException($"the campaigns are shards of different splits ({string.Join(", ", shards)}): their scenarios overlap");
        if (shards.Distinct().Count() < shards.Count)
            throw new ArgumentException("two of the campaigns are the same shard (same seed, same scenarios): merging them would count them twice");

        var target = new CampaignDirectory(output);
        if (target.Exists) throw new IOException($"{target.Root} already holds a campaign; merge into a new directory");
        int workers = manifests.Sum(m => m.Workers);
        target.Create(manifests[0] with
        {
            Workers = workers,
            Shard = Shard.Whole,
            MergedFrom = sources.Select((s, i) => $"{s.Root} (shard {manifests[i].Shard}, {manifests[i].Workers} workers)").ToList(),
        });

        // Workers, renumbered in input order: input i's worker w becomes (workers of inputs before i) + w,
        // the same numbering the findings get below.
        int first = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            foreach (WorkerCheckpoint c in sources[i].LoadCheckpoints()) target.SaveCheckpoint(c with { Worker = first + c.Worker });
            first += manifests[i].Workers;
        }

        // The union of the findings, in input order.
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var records = new List<FindingRecord>();
        int offset = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            foreach (FindingRecord r in sources[i].LoadIndex())
            {
                string from = Path.Combine(sources[i].FindingsDir, r.File);
                Scenario sc = ScenarioParser.Load(from);
                if (!keys.Add(ScenarioHash.FailureKey(r.Oracle, sc))) continue;
                string name = CopyNew(from, target.FindingsDir);
                CopyKernel(sc, sources[i].FindingsDir, target.FindingsDir);
                records.Add(CampaignCauses.Complete(sources[i], r) with { File = name, Worker = r.Worker < 0 ? -1 : r.Worker + offset });
            }
            offset += manifests[i].Workers;
        }
        target.SaveIndex(records);

        // Timelines: totals at each sample time of any input (each input's last sample so far).
        var timelines = sources.Select(s => CampaignTimeline.Load(s.TimelinePath)).ToList();
        var merged = new CampaignTimeline();
        foreach (long t in timelines.SelectMany(tl => tl.Samples.Select(x => x.ElapsedMs)).Distinct().Order())
        {
            long scenarios = 0, ticks = 0, ws = 0, peak = 0;
            int distinct = 0;
            foreach (CampaignTimeline tl in timelines)
            {
                CampaignTimeline.Sample? last = null;
                foreach (var x in tl.Samples)
                {
                    if (x.ElapsedMs <= t) last = x;
                }
                if (last is not { } l) continue;
                scenarios += l.Scenarios;
                ticks += l.Ticks;
                distinct = Math.Max(distinct, l.Distinct);
                ws = Math.Max(ws, l.WorkingSet);
                peak = Math.Max(peak, l.PeakWorkingSet);
            }
            merged.Samples.Add(new CampaignTimeline.Sample(t, scenarios, ticks, distinct, ws, peak));
        }
        merged.Save(target.TimelinePath);
        return target;
    }

    /// <summary>Copy a file into a directory under its name, or a free variant of it; never overwrite.</summary>
    private static string CopyNew(string from, string dir)
    {
        string text = File.ReadAllText(from);
        string stem = Path.GetFileNameWithoutExtension(from), ext = Path.GetExtension(from);
        for (int n = 1; ; n++)
        {
            string name = n == 1 ? stem + ext : $"{stem}-{n}{ext}";
            string path = Path.Combine(dir, name);
            if (File.Exists(path) && File.ReadAllText(path) == text) return name;
            if (AtomicFile.CreateNew(path, text)) return name;
        }
    }

    /// <summary>A finding that names a kernel file beside it takes the file along.</summary>
    private static void CopyKernel(Scenario s, string fromDir, string toDir)
    {
        foreach (string name in new[] { s.Kernel }.Concat(s.ExpectUnder.Select(k => k.Kernel)).Distinct())
        {
            if (!name.EndsWith(".kernel", StringComparison.Ordinal) || Path.IsPathRooted(name) || name.Contains('/')) continue;
            string from = Path.Combine(fromDir, name);
            string to = Path.Combine(toDir, name);
            if (!File.Exists(from) || File.Exists(to)) continue;
            AtomicFile.CreateNew(to, File.ReadAllText(from));
        }
    }
}
