using System.Text;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;

namespace Fuzz.Campaigns;

/// <summary>
/// A campaign's directory:
/// <code>
/// .fuzz-directory         the marker: fuzz created it (see ToolDirectory)
/// .fuzz-lock, .fuzz-owner the one-writer lock and who holds it (see DirectoryLock)
/// campaign.txt            the manifest (written once, last when a campaign is created)
/// workers/worker-N.txt    each worker's checkpoint
/// findings/*.scenario     the distinct failures, shrunk (plus the kernel file they name, if any)
/// findings/index.txt      how each was found
/// timeline.txt            throughput and memory samples
/// settings.txt            the scenario space, when not the default
/// report.html             the report
/// </code>
/// Every file is written atomically (temporary file, flush, rename), so a kill -9 at any moment
/// leaves each file either as it was or complete; a finding file is never overwritten. Only the
/// holder of the directory's lock writes its checkpoints, index and timeline (<see cref="CreateLocked"/>,
/// <see cref="OpenLocked"/>); anyone may read them, also while it runs.
/// </summary>
public sealed class CampaignDirectory
{
    /// <summary>What the marker of a campaign directory says it holds.</summary>
    public const string Kind = "campaign";

    private DirectoryLock? _lock;

    public string Root { get; }

    public CampaignDirectory(string root) => Root = Path.GetFullPath(root);

    public string ManifestPath => Path.Combine(Root, CampaignManifest.FileName);
    public string WorkersDir => Path.Combine(Root, "workers");
    public string FindingsDir => Path.Combine(Root, "findings");
    public string IndexPath => Path.Combine(FindingsDir, "index.txt");
    public string TimelinePath => Path.Combine(Root, "timeline.txt");
    public string ReportPath => Path.Combine(Root, "report.html");
    /// <summary>The scenario space as 'fuzz run --settings' reads it, when the campaign changed it.</summary>
    public string SettingsPath => Path.Combine(Root, "settings.txt");

    public bool Exists => File.Exists(ManifestPath);

    /// <summary>Whether this process holds the directory's lock through this object.</summary>
    public bool IsLocked => _lock is { Held: true };

    public CampaignManifest LoadManifest()
    {
        if (!Exists) throw new InputException($"{Root} is not a campaign directory (no {CampaignManifest.FileName})");
        return CampaignManifest.Parse(TextFile.Read(ManifestPath), ManifestPath);
    }

    /// <summary>The campaign's kernel; an unknown or broken one is an error at campaign.txt's 'kernel' line.</summary>
    public Fuzz.Model.Kernel.KernelDefinition LoadKernel(CampaignManifest m) =>
        Fuzz.Formats.Kernels.KernelLoader.LoadFor(m.Kernel, FindingsDir, ManifestPath, CampaignManifest.KernelLine(TextFile.Read(ManifestPath), ManifestPath));

    /// <summary>
    /// Create the campaign: claim the directory (a new or empty one, or one fuzz created: anything
    /// else is refused before a file is written), take its lock, refuse if it already holds a
    /// campaign, copy in the kernel file the campaign names (refusing a different file of that name
    /// already there), then write the manifest, last. The caller holds the returned lock while it
    /// runs the campaign and disposes it at the end.
    /// </summary>
    /// <param name="purpose">What the lock's holder is doing, for a refused second writer ("new campaign", "merge").</param>
    /// <param name="writeManifest">
    /// False for a campaign whose other files come first (a merge): the caller writes them, then
    /// <see cref="CommitManifest"/>, so that a merge cut short leaves no directory that looks complete.
    /// </param>
    public DirectoryLock CreateLocked(CampaignManifest m, (string Name, string Text)? kernelFile = null, string purpose = "new campaign", bool writeManifest = true)
    {
        if (Exists) throw AlreadyACampaign();
        ToolDirectory.Claim(Root, Kind);
        DirectoryLock held = Lock(purpose);
        try
        {
            if (Exists) throw AlreadyACampaign();
            RemoveTemporaryFiles();
            Directory.CreateDirectory(WorkersDir);
            Directory.CreateDirectory(FindingsDir);
            if (kernelFile is var (name, text))
            {
                string dest = Path.Combine(FindingsDir, name);
                if (File.Exists(dest) && TextFile.Read(dest) != text)
                    throw new InputException($"{dest} already exists and differs from the kernel file given; remove it or choose another --dir");
                if (!File.Exists(dest)) AtomicFile.CreateNew(dest, text);
            }
            if (m.Settings != GeneratorSettings.Default)
                AtomicFile.Write(SettingsPath, string.Join('\n', m.Settings.Describe()) + "\n");
            if (writeManifest) CommitManifest(m);
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Write the manifest, last: from then on the directory holds a campaign.</summary>
    public void CommitManifest(CampaignManifest m)
    {
        RequireLock();
        if (!AtomicFile.CreateNew(ManifestPath, m.Write())) throw AlreadyACampaign();
    }

    /// <summary>
    /// Open an existing campaign for writing (resume): it must be a campaign directory (a campaign.txt
    /// from before directories carried the marker is accepted and marked), and nobody else may be
    /// writing it. Temporary files a killed writer left are removed under the lock.
    /// </summary>
    public DirectoryLock OpenLocked(string purpose)
    {
        if (!Directory.Exists(Root)) throw new InputException($"{Root}: no such directory");
        if (!Exists) throw new InputException($"{Root} is not a campaign directory (no {CampaignManifest.FileName})");
        ToolDirectory.Require(Root, Kind, legacy: _ => Exists);
        DirectoryLock held = Lock(purpose);
        RemoveTemporaryFiles();
        return held;
    }

    private DirectoryLock Lock(string purpose)
    {
        DirectoryLock l = DirectoryLock.Acquire(Root, purpose);
        _lock = l;
        return l;
    }

    private InputException AlreadyACampaign() =>
        new($"{Root} already holds a campaign: resume it with --resume {Root}, or choose another directory");

    private void RequireLock()
    {
        if (!IsLocked) throw new InvalidOperationException($"{Root}: write without holding the campaign's lock (CreateLocked or OpenLocked first)");
    }

    /// <summary>
    /// Delete the temporary files a killed writer left behind (".NAME.PID.GUID.tmp"): the file they
    /// were to replace is intact, so nothing is lost.
    /// </summary>
    private int RemoveTemporaryFiles()
    {
        int n = 0;
        foreach (string dir in new[] { Root, WorkersDir, FindingsDir })
        {
            if (!Directory.Exists(dir)) continue;
            foreach (string tmp in Directory.EnumerateFiles(dir, ".*.tmp"))
            {
                File.Delete(tmp);
                n++;
            }
        }
        return n;
    }

    public void SaveCheckpoint(WorkerCheckpoint c)
    {
        RequireLock();
        AtomicFile.Write(Path.Combine(WorkersDir, WorkerCheckpoint.FileName(c.Worker)), c.Write());
    }

    public void SaveTimeline(CampaignTimeline t)
    {
        RequireLock();
        t.Save(TimelinePath);
    }

    public WorkerCheckpoint? LoadCheckpoint(int worker)
    {
        string path = Path.Combine(WorkersDir, WorkerCheckpoint.FileName(worker));
        return File.Exists(path) ? LoadCheckpointFile(path, worker) : null;
    }

    /// <summary>Every checkpoint in workers/: worker-N.txt, each saying it is worker N.</summary>
    public IReadOnlyList<WorkerCheckpoint> LoadCheckpoints()
    {
        if (!Directory.Exists(WorkersDir)) return [];
        var result = new List<WorkerCheckpoint>();
        foreach (string path in Directory.EnumerateFiles(WorkersDir, "*.txt").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (!name.StartsWith("worker-", StringComparison.Ordinal) || !int.TryParse(name["worker-".Length..], out int w) || w < 0)
                throw new InputException($"{path}: not a worker checkpoint (they are named worker-N.txt)");
            result.Add(LoadCheckpointFile(path, w));
        }
        return result;
    }

    private static WorkerCheckpoint LoadCheckpointFile(string path, int worker)
    {
        WorkerCheckpoint c = WorkerCheckpoint.Parse(TextFile.Read(path), path);
        if (c.Worker != worker) throw new FileFormatException(path, 0, $"the checkpoint of worker {worker} says 'index {c.Worker}'");
        return c;
    }

    /// <summary>The index of findings, completed by any finding file it does not list (a kill between the two writes).</summary>
    public List<FindingRecord> LoadIndex()
    {
        var records = new List<FindingRecord>();
        if (File.Exists(IndexPath))
        {
            KeyValueFile kv = KeyValueFile.Parse(TextFile.Read(IndexPath), IndexPath, "findings", 1, [], ["finding"]);
            foreach (var (line, values) in kv.All("finding"))
            {
                FindingRecord r = FindingRecord.Parse(values, IndexPath, line);
                if (records.Any(x => x.File == r.File)) throw new FileFormatException(IndexPath, line, $"{r.File} is listed twice");
                // A finding file deleted by hand (to retire it) leaves its entry behind: not a finding any more.
                if (File.Exists(Path.Combine(FindingsDir, r.File))) records.Add(r);
            }
        }
        if (!Directory.Exists(FindingsDir)) return records;
        foreach (string path in Directory.EnumerateFiles(FindingsDir, "*.scenario").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (records.Any(r => r.File == name)) continue;
            Scenario s = ScenarioParser.Load(path);
            OracleId oracle = OracleOf(s) ?? OracleId.Linearizability;
            records.Add(new FindingRecord(name, oracle, -1, 0, -1, -1, -1, -1, s.OperationCount));
        }
        return records;
    }

    public void SaveIndex(IEnumerable<FindingRecord> records)
    {
        RequireLock();
        var b = new StringBuilder("# Distinct failures of this campaign, in the order they were found.\nfindings 1\n");
        foreach (FindingRecord r in records) b.Append(r.Write()).Append('\n');
        AtomicFile.Write(IndexPath, b.ToString());
    }


    /// <summary>The oracle a finding file is about: its expected violation, or (fixed kernel) the one its provenance names.</summary>
    public static OracleId? OracleOf(Scenario s)
    {
        if (s.Expect is { Coherent: false } e) return e.Oracle;
        foreach (string c in s.Comments)
        {
            foreach (OracleId id in Enum.GetValues<OracleId>())
            {
                if (c.Contains($": {OracleNames.Name(id)} under ", StringComparison.Ordinal)) return id;
            }
        }
        return null;
    }
}
