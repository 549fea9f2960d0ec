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
    /// <summary>
    /// Merge the campaigns into <paramref name="output"/>, a new or empty directory (or one fuzz
    /// created that holds no campaign yet). Every input is checked before anything is written: a
    /// refusal (not the same campaign, overlapping shards, a foreign or busy output) leaves the
    /// output as it was.
    /// </summary>
    public static CampaignDirectory Merge(string output, IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 0) throw new InputException("merge needs at least one campaign directory");
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
            throw new InputException($"the campaigns are shards of different splits ({string.Join(", ", shards)}): their scenarios overlap, so they cannot be merged");
        if (shards.Distinct().Count() < shards.Count)
            throw new InputException("two of the campaigns are the same shard (same seed, same scenarios): merging them would count them twice");
        int workers = manifests.Sum(m => m.Workers);
        if (workers > CampaignLimits.MaxMergedWorkers)
            throw new InputException($"the campaigns have {workers} workers in all; a merge holds at most {CampaignLimits.MaxMergedWorkers}");
        (string Name, string Text)? kernelFile = KernelFileOf(manifests[0], sources);
        CampaignTimeline timeline = MergeTimelines(sources);
        var checkpoints = sources.Select(s => s.LoadCheckpoints()).ToList();
        var findings = sources.Select(s => s.LoadIndex().Select(r => (Record: r, Scenario: ScenarioParser.Load(Path.Combine(s.FindingsDir, r.File)))).ToList()).ToList();
        for (int i = 0; i < sources.Count; i++)
        {
            if (checkpoints[i].FirstOrDefault(c => c.Worker >= manifests[i].Workers) is { } extra)
                throw new InputException($"{sources[i].WorkersDir}: a checkpoint of worker {extra.Worker}, but campaign.txt says {manifests[i].Workers} worker(s)");
            if (findings[i].FirstOrDefault(f => f.Record.Worker >= manifests[i].Workers) is { Record: { } r })
                throw new InputException($"{sources[i].IndexPath}: {r.File} was found by worker {r.Worker}, but campaign.txt says {manifests[i].Workers} worker(s)");
        }

        var target = new CampaignDirectory(output);
        if (sources.Any(s => s.Root == target.Root)) throw new InputException($"{target.Root} is one of the campaigns to merge; merge into a new directory");
        CampaignManifest merged = manifests[0] with
        {
            Workers = workers,
            Shard = Shard.Whole,
            MergedFrom = sources.Select((s, i) => $"{s.Root} (shard {manifests[i].Shard}, {manifests[i].Workers} workers)").ToList(),
        };
        using DirectoryLock held = target.CreateLocked(merged, kernelFile, "merge", writeManifest: false);

        // Workers, renumbered in input order: input i's worker w becomes (workers of inputs before i) + w,
        // the same numbering the findings get below.
        int first = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            foreach (WorkerCheckpoint c in checkpoints[i]) target.SaveCheckpoint(c with { Worker = first + c.Worker });
            first += manifests[i].Workers;
        }

        // The union of the findings, in input order.
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var records = new List<FindingRecord>();
        int offset = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            foreach (var (r, sc) in findings[i])
            {
                string from = Path.Combine(sources[i].FindingsDir, r.File);
                if (!keys.Add(ScenarioHash.FailureKey(r.Oracle, sc))) continue;
                string name = CopyNew(from, target.FindingsDir);
                CopyKernel(sc, sources[i].FindingsDir, target.FindingsDir);
                records.Add(CampaignCauses.Complete(sources[i], r) with { File = name, Worker = r.Worker < 0 ? -1 : r.Worker + offset });
            }
            offset += manifests[i].Workers;
        }
        target.SaveIndex(records);

        target.SaveTimeline(timeline);
        // Last: a merge cut short (Ctrl-C, kill) leaves no campaign.txt, and merging again finishes it.
        target.CommitManifest(merged);
        return target;
    }

    /// <summary>
    /// The kernel file the campaigns name in their findings/ (a kernel given by path), which every
    /// input must hold with the same text; null when the kernel is a name.
    /// </summary>
    private static (string Name, string Text)? KernelFileOf(CampaignManifest m, IReadOnlyList<CampaignDirectory> sources)
    {
        string name = m.Kernel;
        if (!name.EndsWith(".kernel", StringComparison.Ordinal) || name.Contains('/') || Path.IsPathRooted(name)) return null;
        string? text = null;
        foreach (CampaignDirectory s in sources)
        {
            string path = Path.Combine(s.FindingsDir, name);
            if (!File.Exists(path)) throw new InputException($"{path}: missing (campaign.txt names kernel {name})");
            string t = TextFile.Read(path);
            if (text is not null && t != text) throw new InputException($"{path} differs from {Path.Combine(sources[0].FindingsDir, name)}: not the same kernel, so not the same campaign");
            text ??= t;
        }
        return (name, text!);
    }

    /// <summary>Totals at each sample time of any input (each input's last sample so far); refused if a total leaves the range a timeline may hold.</summary>
    private static CampaignTimeline MergeTimelines(IReadOnlyList<CampaignDirectory> sources)
    {
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
                if (scenarios > CampaignLimits.MaxTotal || ticks > CampaignLimits.MaxTotal)
                    throw new InputException($"the campaigns' timelines add up to more than {CampaignLimits.MaxTotal} scenarios or steps: not real campaigns");
                distinct = Math.Max(distinct, l.Distinct);
                ws = Math.Max(ws, l.WorkingSet);
                peak = Math.Max(peak, l.PeakWorkingSet);
            }
            merged.Samples.Add(new CampaignTimeline.Sample(t, scenarios, ticks, distinct, ws, peak));
        }
        return merged;
    }

    /// <summary>Copy a file into a directory under its name, or a free variant of it; never overwrite.</summary>
    private static string CopyNew(string from, string dir)
    {
        string text = TextFile.Read(from);
        string stem = Path.GetFileNameWithoutExtension(from), ext = Path.GetExtension(from);
        for (int n = 1; ; n++)
        {
            string name = n == 1 ? stem + ext : $"{stem}-{n}{ext}";
            string path = Path.Combine(dir, name);
            if (File.Exists(path) && TextFile.Read(path) == text) return name;
            if (AtomicFile.CreateNew(path, text)) return name;
        }
    }

    /// <summary>A finding that names a kernel file beside it takes the file along; two different files of one name are refused.</summary>
    private static void CopyKernel(Scenario s, string fromDir, string toDir)
    {
        foreach (string name in new[] { s.Kernel }.Concat(s.ExpectUnder.Select(k => k.Kernel)).Distinct())
        {
            if (!name.EndsWith(".kernel", StringComparison.Ordinal) || Path.IsPathRooted(name) || name.Contains('/')) continue;
            string from = Path.Combine(fromDir, name);
            if (!File.Exists(from)) continue;
            string text = TextFile.Read(from);
            string to = Path.Combine(toDir, name);
            if (AtomicFile.CreateNew(to, text) || TextFile.Read(to) == text) continue;
            throw new InputException($"{from} differs from the {name} already merged into {toDir}: rename one of them");
        }
    }
}
