using Fuzz.Formats.Kernels;
using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Variants;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Search.Audit;

/// <summary>
/// Saves a caught mutant: its kernel file and its shrunk scenario side by side, so that
/// 'fuzz replay DIR/X.scenario' finds the kernel. Never overwrites: an existing kernel file with
/// other content makes the new one take a suffix, and the scenario names the file actually written.
/// </summary>
public static class AuditStore
{
    public static AuditResult Save(string directory, AuditResult r, string baseRef, DateOnly date)
    {
        if (r.Finding is not { } f) return r;
        Directory.CreateDirectory(directory);
        string text = r.Mutant.KernelText(baseRef);
        string kernelFile = KernelFileFor(directory, r.Mutant.FileStem, text);
        KernelDefinition kernel = KernelFile.Load(Path.Combine(directory, kernelFile));
        Finding named = f with { Shrunk = f.Shrunk with { Kernel = kernelFile } };
        RegressionStore.Saved saved = RegressionStore.Save(directory, named, kernel, "fuzz audit", date,
            regenerate: $"dotnet run --project src/Fuzz -c Release -- audit --only \"{r.Mutant.Id}\"");
        return r with { SavedScenario = saved.Path };
    }

    private static string KernelFileFor(string directory, string stem, string text)
    {
        for (int n = 1; ; n++)
        {
            string name = n == 1 ? stem + ".kernel" : $"{stem}-{n}.kernel";
            string path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                if (File.ReadAllText(path) == text) return name;
                continue;
            }
            if (AtomicFile.CreateNew(path, text)) return name;
        }
    }
}
