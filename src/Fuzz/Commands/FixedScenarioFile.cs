using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Commands;

/// <summary>
/// The scenario of 'fuzz run --scenario FILE', whose schedules are fuzzed: read and checked (an
/// error names the file and line, the 'kernel' line for a kernel that cannot be found), and the
/// kernel to run it under as the current directory names it. Without --kernel that is the file's
/// own kernel: a name kernels/ gives as the same file stays a name, any other file (a kernel
/// saved beside a regression) is named by its path from here, so that the printed lines work.
/// </summary>
internal sealed record FixedScenarioFile(string Path, Scenario Scenario, string KernelArgument)
{
    public static FixedScenarioFile Load(string path, string? kernelGiven, string cwd)
    {
        ScenarioFile source = ScenarioFile.Load(path);
        string kernelArgument = kernelGiven ?? Argument(source, cwd);
        KernelDefinition kernel = kernelGiven is null ? source.Kernel(source.Scenario.Kernel) : KernelLoader.Load(kernelGiven, cwd);
        try
        {
            _ = new Simulator(kernel, source.Scenario);
        }
        catch (ModelLimitException e)
        {
            throw new FileFormatException(path, 0, $"the scenario goes beyond the model's limits: {e.Message}");
        }
        return new FixedScenarioFile(path, source.Scenario, kernelArgument);
    }

    private static string Argument(ScenarioFile source, string cwd)
    {
        string reference = source.Scenario.Kernel;
        if (reference == KernelDefinition.BaseName) return reference;
        source.Kernel(reference);
        string full = KernelLoader.Find(reference, source.Directory)!;
        if (!KernelLoader.IsPath(reference) && KernelLoader.Find(reference, cwd) is { } here && TextFile.Read(here) == TextFile.Read(full)) return reference;
        return System.IO.Path.GetRelativePath(cwd, full);
    }
}
