using Fuzz.Formats.Kernels;
using Fuzz.Formats.Text;

namespace Fuzz.Tests.Shared;

/// <summary>
/// The in-suite mutation test's corpus: seeded mutants of the shipped files of one format, each fed
/// to its parser, which must either accept it or refuse it with a <see cref="FileFormatException"/>
/// (file and line); anything else fails the test with the mutant's seed and file, which rebuild it.
/// </summary>
public static class MutationCorpus
{
    public static string RepoRoot => KernelLoader.RepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Fuzz.sln not found");

    /// <summary>The shipped files matching a pattern in a folder of the repository, in a stable order.</summary>
    public static IReadOnlyList<string> Shipped(string folder, string pattern) =>
        Directory.EnumerateFiles(Path.Combine(RepoRoot, folder), pattern).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// <paramref name="count"/> mutants of the files (round robin), each parsed by <paramref name="parse"/>
    /// (given the mutant's text and the path it stands for). Returns how many were accepted and refused.
    /// </summary>
    public static (int Accepted, int Refused) Check(IReadOnlyList<(string Path, string Text)> files, int count, ulong seed, Action<string, string> parse)
    {
        if (files.Count == 0) throw new InvalidOperationException("no files to mutate");
        var kin = files.Select(f => f.Text).ToList();
        int accepted = 0, refused = 0;
        for (int i = 0; i < count; i++)
        {
            var (path, text) = files[i % files.Count];
            ulong s = seed + (ulong)i;
            string mutant = Mutator.Mutate(text, s, kin);
            try
            {
                parse(mutant, path);
                accepted++;
            }
            catch (FileFormatException e)
            {
                if (!e.Message.StartsWith(e.File, StringComparison.Ordinal) || e.Message.Length > 2000)
                    throw new MutantFailure($"mutant {s} of {path}: the error does not start with its file or is not short: {Token.Show(e.Message, 300)}");
                refused++;
            }
            catch (Exception e)
            {
                throw new MutantFailure(
                    $"mutant {s} of {path} (Mutator.Mutate(text, {s}, kin)): {e.GetType().Name} instead of a file:line error: {Token.Show(e.Message, 300)}\n{e.StackTrace}");
            }
        }
        return (accepted, refused);
    }

    public static IReadOnlyList<(string Path, string Text)> Read(IEnumerable<string> paths) =>
        paths.Select(p => (p, File.ReadAllText(p))).ToList();
}

/// <summary>A mutant the parser answered with something other than acceptance or a file:line error.</summary>
public sealed class MutantFailure(string message) : Exception(message);
