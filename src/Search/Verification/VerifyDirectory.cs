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
        if (!Exists) throw new InputException($"{Root} is not a verify directory (no {VerifyManifest.FileName})");
        return VerifyManifest.Parse(TextFile.Read(ManifestPath), ManifestPath);
    }

    /// <summary>The kind of directory ToolDirectory's marker names.</summary>
    public const string Kind = "verify";

    /// <summary>
    /// Claim a new (or empty, or fuzz's own verify) directory, lock it for this process, and write the
    /// run into it: the scope, the kernel file (when the kernel was given by path), and the manifest
    /// last, so that a directory holds a verify run only once everything was accepted. The caller
    /// holds the returned lock for the whole run.
    /// </summary>
    public DirectoryLock CreateLocked(VerifyManifest m, string scopeText, (string Name, string Text)? kernelFile = null, string purpose = "verify run")
    {
        if (Exists) throw AlreadyARun();
        ToolDirectory.Claim(Root, Kind);
        DirectoryLock held = DirectoryLock.Acquire(Root, purpose);
        try
        {
            if (Exists) throw AlreadyARun();
            RemoveTemporaryFiles();
            Directory.CreateDirectory(FindingsDir);
            if (kernelFile is var (name, text))
            {
                string dest = Path.Combine(FindingsDir, name);
                if (File.Exists(dest) && TextFile.Read(dest) != text)
                    throw new InputException($"{dest} already exists and differs from the kernel file given; choose another --dir");
                if (!File.Exists(dest)) AtomicFile.CreateNew(dest, text);
            }
            AtomicFile.Write(ScopePath, scopeText);
            if (!AtomicFile.CreateNew(ManifestPath, m.Write())) throw AlreadyARun();
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Lock an existing verify run for this process (a resume): one writer at a time.</summary>
    public DirectoryLock OpenLocked(string purpose)
    {
        if (!Directory.Exists(Root)) throw new InputException($"{Root}: no such directory");
        if (!Exists) throw new InputException($"{Root} is not a verify directory (no {VerifyManifest.FileName})");
        ToolDirectory.Require(Root, Kind, legacy: IsVerifyDirectory);
        return DirectoryLock.Acquire(Root, purpose);
    }

    private InputException AlreadyARun() =>
        new($"{Root} already holds a verify run: resume it with --resume {Root}, or choose another --dir");

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
