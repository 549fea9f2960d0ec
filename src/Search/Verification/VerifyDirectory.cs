using System.Text;
using Fuzz.Formats.Text;

namespace Fuzz.Search.Verification;

/// <summary>
/// A verify run's directory:
/// <code>
/// verify.txt        the manifest (written once)
/// scope.scope       the scope file, as it was when the run started
/// results.txt       one line per scenario searched to its end (rewritten atomically every few seconds)
/// findings/         the smallest counterexample, saved like every finding
/// </code>
/// A scenario is recorded only when its search finished, so a kill at any moment loses at most the
/// scenarios in flight, which a resumed run searches again.
/// </summary>
public sealed class VerifyDirectory
{
    public string Root { get; }

    public VerifyDirectory(string root) => Root = Path.GetFullPath(root);

    public string ManifestPath => Path.Combine(Root, VerifyManifest.FileName);
    public string ScopePath => Path.Combine(Root, "scope.scope");
    public string ResultsPath => Path.Combine(Root, "results.txt");
    public string FindingsDir => Path.Combine(Root, "findings");

    public bool Exists => File.Exists(ManifestPath);

    public static bool IsVerifyDirectory(string dir) => File.Exists(Path.Combine(dir, VerifyManifest.FileName));

    public VerifyManifest LoadManifest()
    {
        if (!Exists) throw new FileNotFoundException($"{Root} is not a verify directory (no {VerifyManifest.FileName})");
        return VerifyManifest.Parse(File.ReadAllText(ManifestPath), ManifestPath);
    }

    public void Create(VerifyManifest m, string scopeText)
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(FindingsDir);
        if (!AtomicFile.CreateNew(ManifestPath, m.Write()))
            throw new IOException($"{Root} already holds a verify run: resume it with --resume {Root}, or choose another --dir");
        AtomicFile.CreateNew(ScopePath, scopeText);
    }

    public Scope LoadScope() => ScopeFile.Load(ScopePath);

    public List<ScenarioResult> LoadResults()
    {
        var results = new List<ScenarioResult>();
        if (!File.Exists(ResultsPath)) return results;
        foreach (SourceLine line in SourceLine.Read(File.ReadAllText(ResultsPath)))
        {
            if (line.Text.Length == 0 || line.Words[0] != "result") continue;
            results.Add(ScenarioResult.Parse(line.Words) ?? throw new FileFormatException(ResultsPath, line.Number, "malformed result line"));
        }
        return results;
    }

    public void SaveResults(IEnumerable<ScenarioResult> results)
    {
        var b = new StringBuilder("# Scenarios of the scope searched to the end: index verdict states transitions pruned depth ops [oracle code schedule].\nresults 1\n");
        foreach (ScenarioResult r in results.OrderBy(r => r.Index)) b.Append(r.Write()).Append('\n');
        AtomicFile.Write(ResultsPath, b.ToString());
    }

    /// <summary>Temporary files a killed writer left behind (the files they were to replace are intact).</summary>
    public void RemoveTemporaryFiles()
    {
        foreach (string dir in new[] { Root, FindingsDir })
        {
            if (!Directory.Exists(dir)) continue;
            foreach (string tmp in Directory.EnumerateFiles(dir, ".*.tmp")) File.Delete(tmp);
        }
    }
}
