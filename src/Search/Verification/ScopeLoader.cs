using Fuzz.Formats.Kernels;

namespace Fuzz.Search.Verification;

/// <summary>A scope reference: a path to a .scope file, or a name looked up in scopes/ (beside the tool, then in the repository).</summary>
public static class ScopeLoader
{
    public static string Find(string reference, string relativeTo)
    {
        bool path = reference.EndsWith(".scope", StringComparison.Ordinal) || reference.Contains('/');
        if (path)
        {
            string full = Path.GetFullPath(reference, relativeTo);
            return File.Exists(full) ? full : throw new FileNotFoundException($"scope file {reference} not found");
        }
        foreach (string dir in SearchDirs(relativeTo))
        {
            string candidate = Path.Combine(dir, reference + ".scope");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"scope '{reference}' not found (looked for {reference}.scope in {string.Join(", ", SearchDirs(relativeTo))})");
    }

    /// <summary>The scope names shipped in scopes/.</summary>
    public static IEnumerable<string> Shipped(string relativeTo) =>
        SearchDirs(relativeTo).Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d, "*.scope"))
            .Select(Path.GetFileNameWithoutExtension).Distinct().Order(StringComparer.Ordinal)!;

    private static IEnumerable<string> SearchDirs(string relativeTo)
    {
        var dirs = new List<string> { Path.Combine(AppContext.BaseDirectory, "scopes") };
        foreach (string? start in new[] { relativeTo, AppContext.BaseDirectory })
        {
            if (KernelLoader.RepoRoot(start) is { } root) dirs.Add(Path.Combine(root, "scopes"));
        }
        return dirs.Distinct();
    }
}
