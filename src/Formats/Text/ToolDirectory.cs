namespace Fuzz.Formats.Text;

/// <summary>
/// The marker that says "fuzz created this directory": a file named <see cref="MarkerName"/>
/// whose first line is "fuzz KIND" (campaign, audit, verify, ...). The tool writes into, and
/// replaces files in, only a directory it created or that carries its marker, so a --dir or --out
/// that names someone's existing directory is refused before anything in it is touched.
/// </summary>
public static class ToolDirectory
{
    public const string MarkerName = ".fuzz-directory";

    public static string MarkerPath(string dir) => Path.Combine(dir, MarkerName);

    /// <summary>The kind the directory's marker names, or null when it has none (or is not a directory).</summary>
    public static string? KindOf(string dir)
    {
        string marker = MarkerPath(dir);
        if (!File.Exists(marker)) return null;
        var lines = SourceLine.Read(TextFile.Read(marker)).Where(l => l.Text.Length > 0).ToList();
        string[] w = lines.Count == 0 ? [] : lines[0].Words;
        if (w.Length != 2 || w[0] != "fuzz") throw new FileFormatException(marker, lines.Count == 0 ? 0 : lines[0].Number, "not a fuzz directory marker: its first line must be 'fuzz KIND'");
        if (lines.Count > 1) throw new FileFormatException(marker, lines[1].Number, "a fuzz directory marker holds one line, 'fuzz KIND', and comments");
        return w[1];
    }

    /// <summary>
    /// Make <paramref name="dir"/> a directory of this kind before writing into it: a missing one is
    /// created with its marker, an empty one is adopted, one that carries this kind's marker is
    /// accepted (<paramref name="legacy"/> may accept one an earlier version wrote without a marker,
    /// which then gets it). Anything else is refused with an <see cref="InputException"/>.
    /// </summary>
    public static void Claim(string dir, string kind, Func<string, bool>? legacy = null)
    {
        if (File.Exists(dir)) throw new InputException($"{dir} is a file, not a directory");
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            Mark(dir, kind);
            return;
        }
        Require(dir, kind, legacy, allowEmpty: true);
    }

    /// <summary>An existing directory must carry this kind's marker (or be a legacy one) to be written into.</summary>
    public static void Require(string dir, string kind, Func<string, bool>? legacy = null, bool allowEmpty = false)
    {
        if (!Directory.Exists(dir)) throw new InputException($"{dir}: no such directory");
        string? found = KindOf(dir);
        if (found == kind) return;
        if (found is not null) throw new InputException($"{dir} was created by fuzz for a {found}, not a {kind}: choose another directory");
        bool empty = !Directory.EnumerateFileSystemEntries(dir).Any();
        if ((allowEmpty && empty) || (legacy?.Invoke(dir) ?? false))
        {
            Mark(dir, kind);
            return;
        }
        throw new InputException(
            $"{dir} exists and was not created by fuzz (it has no {MarkerName} file): fuzz writes only into a new or empty directory, or one it created; choose another");
    }

    private static void Mark(string dir, string kind)
    {
        string text = $"fuzz {kind}\n# Written by fuzz when it created or adopted this directory ({DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}): fuzz writes only\n# into directories that carry this file, and replaces only files it wrote there.\n";
        // Two processes claiming one new directory: one marker wins, the other finds the same kind.
        if (!AtomicFile.CreateNew(MarkerPath(dir), text) && KindOf(dir) != kind)
            throw new InputException($"{dir} was just claimed by fuzz for a {KindOf(dir)}, not a {kind}");
    }
}
