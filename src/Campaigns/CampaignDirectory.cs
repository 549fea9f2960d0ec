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
/// campaign.txt            the manifest (written once)
/// workers/worker-N.txt    each worker's checkpoint
/// findings/*.scenario     the distinct failures, shrunk (plus the kernel file they name, if any)
/// findings/index.txt      how each was found
/// timeline.txt            throughput and memory samples
/// settings.txt            the scenario space, when not the default
/// report.html             the report
/// </code>
/// Every file is written atomically (temporary file, flush, rename), so a kill -9 at any moment
/// leaves each file either as it was or complete; a finding file is never overwritten.
/// </summary>
public sealed class CampaignDirectory
{
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

    public CampaignManifest LoadManifest()
    {
        if (!Exists) throw new FileNotFoundException($"{Root} is not a campaign directory (no {CampaignManifest.FileName})");
        return CampaignManifest.Parse(File.ReadAllText(ManifestPath), ManifestPath);
    }

    /// <summary>Create the directory with its manifest; refuses a directory that already holds a campaign.</summary>
    public void Create(CampaignManifest m)
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(WorkersDir);
        Directory.CreateDirectory(FindingsDir);
        if (!AtomicFile.CreateNew(ManifestPath, m.Write()))
            throw new IOException($"{Root} already holds a campaign: resume it with --resume {Root}, or choose another --dir");
        if (m.Settings != GeneratorSettings.Default)
            AtomicFile.Write(SettingsPath, string.Join('\n', m.Settings.Describe()) + "\n");
    }

    /// <summary>
    /// Delete the temporary files a killed writer left behind (".NAME.PID.GUID.tmp"): the file they
    /// were to replace is intact, so nothing is lost.
    /// </summary>
    public int RemoveTemporaryFiles()
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

    public void SaveCheckpoint(WorkerCheckpoint c) =>
        AtomicFile.Write(Path.Combine(WorkersDir, WorkerCheckpoint.FileName(c.Worker)), c.Write());

    public WorkerCheckpoint? LoadCheckpoint(int worker)
    {
        string path = Path.Combine(WorkersDir, WorkerCheckpoint.FileName(worker));
        return File.Exists(path) ? WorkerCheckpoint.Parse(File.ReadAllText(path), path) : null;
    }

    public IReadOnlyList<WorkerCheckpoint> LoadCheckpoints()
    {
        if (!Directory.Exists(WorkersDir)) return [];
        return Directory.EnumerateFiles(WorkersDir, "*.txt").Order(StringComparer.Ordinal)
            .Select(p => WorkerCheckpoint.Parse(File.ReadAllText(p), p)).ToList();
    }

    /// <summary>The index of findings, completed by any finding file it does not list (a kill between the two writes).</summary>
    public List<FindingRecord> LoadIndex()
    {
        var records = new List<FindingRecord>();
        if (File.Exists(IndexPath))
        {
            foreach (SourceLine line in SourceLine.Read(File.ReadAllText(IndexPath)))
            {
                string[] w = line.Words;
                if (w.Length < 2 || w[0] != "finding") continue;
                FindingRecord? r = FindingRecord.Parse(w[1..]);
                if (r is not null && File.Exists(Path.Combine(FindingsDir, r.File))) records.Add(r);
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
