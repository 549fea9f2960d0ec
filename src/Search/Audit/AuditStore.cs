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
    /// <param name="regenerate">The command that reruns this mutant's audit (which, being deterministic, finds the same scenario), for the file's provenance.</param>
    public static AuditResult Save(string directory, AuditResult r, string baseRef, DateOnly date, string regenerate)
    {
        if (r.Finding is not { } f) return r;
        Directory.CreateDirectory(directory);
        string text = r.Mutant.KernelText(baseRef);
        string kernelFile = RegressionStore.PlaceKernel(directory, r.Mutant.FileStem, text);
        KernelDefinition kernel = KernelFile.Load(Path.Combine(directory, kernelFile));
        Finding named = f with { Shrunk = f.Shrunk with { Kernel = kernelFile } };
        RegressionStore.Saved saved = RegressionStore.Save(directory, named, kernel, "fuzz audit", date,
            regenerate: regenerate);
        return r with { SavedScenario = saved.Path };
    }
}
