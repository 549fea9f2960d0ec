using Fuzz.Formats.Kernels;
using Fuzz.Model.Variants;

namespace Fuzz.Regressions;

/// <summary>Where the regression scenarios live: this source folder, found from the test binary by walking up to Fuzz.sln.</summary>
internal static class RegressionFiles
{
    public static string Directory
    {
        get
        {
            string root = KernelLoader.RepoRoot(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException($"Fuzz.sln not found above {AppContext.BaseDirectory}");
            return Path.Combine(root, "tests", "Regressions");
        }
    }

    /// <summary>Every *.scenario file, by name, in a stable order.</summary>
    public static IEnumerable<string> Names() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.scenario")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal);
}
