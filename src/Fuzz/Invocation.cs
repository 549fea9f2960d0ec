using Fuzz.Formats.Kernels;

namespace Fuzz;

/// <summary>
/// How to run this tool again from the current directory, for the lines it prints (replay:,
/// regenerate:, promote, resume): 'dotnet run --project src/Fuzz -c Release --' from the repository
/// root, with the project's path from anywhere else; 'fuzz' only when the program does not live in
/// a clone (then it was installed under that name).
/// </summary>
internal static class Invocation
{
    private static readonly Lazy<string> Prefix = new(Compute);

    /// <summary>The command line that runs 'fuzz ARGS' from here.</summary>
    public static string Fuzz(string args) => $"{Prefix.Value} {args}";

    private static string Compute()
    {
        string? repo = KernelLoader.RepoRoot(AppContext.BaseDirectory);
        if (repo is null) return "fuzz";
        string project = Path.Combine(repo, "src", "Fuzz");
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), project);
        string shown = relative.StartsWith("..", StringComparison.Ordinal) ? project : relative;
        return $"dotnet run --project {Quote(shown)} -c Release --";
    }

    /// <summary>A path or word as a shell reads it back: quoted when it holds anything but safe characters.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '+' or ',' or '=')
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
