using Fuzz.Campaigns;
using Fuzz.Formats.Text;

namespace Fuzz.Search.Verification;

/// <summary>
/// fuzz merge for verify runs: the shards of one split (same kernel, same scope file) become one
/// directory holding every scenario's result, as if one run had searched them all.
/// </summary>
public static class VerifyMerge
{
    public static VerifyDirectory Merge(string output, IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 0) throw new InputException("merge needs at least one verify directory");
        var sources = inputs.Select(i => new VerifyDirectory(i)).ToList();
        var manifests = sources.Select(s => s.LoadManifest()).ToList();
        for (int i = 1; i < manifests.Count; i++)
        {
            if (manifests[i].Kernel != manifests[0].Kernel || manifests[i].ScopeHash != manifests[0].ScopeHash)
                throw new Fuzz.Formats.Text.FileFormatException(sources[i].ManifestPath, 0, $"not the same kernel and scope as {sources[0].Root}: they cannot be merged");
        }
        var shards = manifests.Select(m => m.Shard).ToList();
        if (shards.Select(x => x.Count).Distinct().Count() > 1)
            throw new InputException($"the runs are shards of different splits ({string.Join(", ", shards)}): their scenarios overlap");
        if (shards.Distinct().Count() < shards.Count)
            throw new InputException("two of the runs are the same shard: merging them would count their scenarios twice");
        var target = new VerifyDirectory(output);
        if (target.Exists) throw new InputException($"{target.Root} already holds a verify run; merge into a new directory");
        // The merged run is the whole scope: every shard of the split must be there.
        if (shards.Count != shards[0].Count)
            throw new InputException($"a split into {shards[0].Count} shards needs all {shards[0].Count} to merge ({shards.Count} given)");
        using DirectoryLock held = target.CreateLocked(manifests[0] with
        {
            Shard = Shard.Whole,
            Workers = manifests.Sum(m => m.Workers),
            MergedFrom = sources.Select((s, i) => $"{s.Root} (shard {manifests[i].Shard})").ToList(),
        }, TextFile.Read(sources[0].ScopePath), purpose: "merge");
        foreach (VerifyDirectory s in sources)
        {
            foreach (string f in Directory.EnumerateFiles(s.FindingsDir, "*.kernel"))
            {
                string to = Path.Combine(target.FindingsDir, Path.GetFileName(f));
                if (!File.Exists(to)) File.Copy(f, to);
            }
        }
        target.SaveResults(sources.SelectMany(s => s.LoadResults()).GroupBy(r => r.Index).Select(g => g.First()));
        return target;
    }
}
