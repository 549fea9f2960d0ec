using Fuzz.Formats.Kernels;
using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;

namespace Fuzz.Formats.Scenarios;

/// <summary>
/// A scenario as read from a file, with the lines that name its kernels, so that a kernel that
/// cannot be found or read is reported at the scenario's own 'kernel' or 'expect ... under' line,
/// and a replay that exceeds the model's limits names the file.
/// </summary>
public sealed record ScenarioFile(string Path, Scenario Scenario, IReadOnlyDictionary<string, int> KernelLines)
{
    public static ScenarioFile Load(string path) => ScenarioParser.Read(TextFile.Read(path), path);

    /// <summary>The directory kernel names are looked up beside.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    public int LineOf(string kernelRef) => KernelLines.TryGetValue(kernelRef, out int n) ? n : 0;

    /// <summary>A kernel this file names (its own or an 'expect ... under' one), looked up beside the file.</summary>
    public KernelDefinition Kernel(string reference) => KernelLoader.LoadFor(reference, Directory, Path, LineOf(reference));

    /// <summary>Replay under a kernel; a run beyond the model's limits is an error naming this file.</summary>
    public ReplayResult Replay(Scenario scenario, KernelDefinition kernel)
    {
        try
        {
            return Replayer.Run(scenario, kernel);
        }
        catch (ModelLimitException e)
        {
            throw new FileFormatException(Path, 0, $"the run goes beyond the model's limits: {e.Message}");
        }
    }
}
