using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;

namespace Fuzz.Formats.Kernels;

/// <summary>
/// Resolves a kernel reference: the built-in "v4.14", a path to a .kernel file, or a name looked up
/// as NAME.kernel beside the referring file, in the tool's kernels/ folder, and in the repository's
/// kernels/ folder (found by walking up to Fuzz.sln), each with its fixes/ subfolder.
/// </summary>
public static class KernelLoader
{
    /// <summary>Load a kernel reference; a name or file that cannot be found or read is an <see cref="InputException"/>.</summary>
    public static KernelDefinition Load(string reference, string? relativeTo = null)
    {
        if (reference == KernelDefinition.BaseName) return KernelDefinition.V414;
        string? path = Find(reference, relativeTo);
        if (path is null)
        {
            string file = IsPath(reference) ? reference : reference + ".kernel";
            throw new InputException(
                $"kernel '{Token.Show(reference)}' not found (looked for {Token.Show(file)}{(relativeTo is null ? "" : $" in {relativeTo}")} and in {string.Join(", ", SearchDirs(null))})");
        }
        return KernelFile.Load(path);
    }

    /// <summary>
    /// Load a kernel that <paramref name="file"/> names at <paramref name="line"/> (a scenario's
    /// 'kernel' line, campaign.txt's): any error is reported at that line, with the kernel file's own
    /// error (its file and line) after it.
    /// </summary>
    public static KernelDefinition LoadFor(string reference, string? relativeTo, string file, int line)
    {
        try
        {
            return Load(reference, relativeTo);
        }
        catch (InputException e)
        {
            throw new FileFormatException(file, line, e is FileFormatException ? $"kernel '{Token.Show(reference)}': {e.Message}" : e.Message);
        }
    }

    /// <summary>Whether a kernel reference is a file path (it ends in .kernel or has a directory) rather than a name in kernels/.</summary>
    public static bool IsPath(string reference) => reference.EndsWith(".kernel", StringComparison.Ordinal) || reference.Contains('/');

    public static string? Find(string reference, string? relativeTo)
    {
        string file = IsPath(reference) ? reference : reference + ".kernel";
        if (Path.IsPathRooted(file)) return File.Exists(file) ? file : null;
        if (relativeTo is not null)
        {
            string near = Path.Combine(relativeTo, file);
            if (File.Exists(near)) return Path.GetFullPath(near);
        }
        if (File.Exists(file) && IsPath(reference)) return Path.GetFullPath(file);
        foreach (string dir in SearchDirs(relativeTo))
        {
            string candidate = Path.Combine(dir, Path.GetFileName(file));
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The kernels/ folders searched for a kernel name, each followed by its fixes/ (the upstream fixes, one file per commit).</summary>
    public static IEnumerable<string> SearchDirs(string? relativeTo)
    {
        var dirs = new List<string> { Path.Combine(AppContext.BaseDirectory, "kernels") };
        foreach (string? start in new[] { relativeTo, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            string? root = RepoRoot(start);
            if (root is not null) dirs.Add(Path.Combine(root, "kernels"));
        }
        return dirs.Distinct().SelectMany(d => new[] { d, Path.Combine(d, "fixes") });
    }

    /// <summary>The nearest ancestor directory holding Fuzz.sln, or null.</summary>
    public static string? RepoRoot(string? start)
    {
        for (string? d = string.IsNullOrEmpty(start) ? null : Path.GetFullPath(start); d is not null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "Fuzz.sln"))) return d;
        }
        return null;
    }
}
