using Fuzz.Formats.Kernels;
using Fuzz.Formats.Text;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Commands;

/// <summary>
/// How a run names the kernel the user gave. <see cref="Recorded"/> is what generated scenarios
/// (and so saved files) name: a name from kernels/ stays a name, and so does a path to a file whose
/// text is that of kernels/NAME.kernel (so 'kernels/seed-b.kernel' and 'seed-b' give one
/// regression file, not two). Any other path is recorded as given, and its <see cref="File"/> is
/// copied beside a saved finding, which then names the copy. <see cref="Argument"/> is how a printed
/// command line names the kernel from the current directory.
/// </summary>
internal sealed record KernelChoice(string Recorded, string Argument, (string Stem, string Text)? File)
{
    public static KernelChoice Of(string reference, string cwd)
    {
        if (!KernelLoader.IsPath(reference)) return new KernelChoice(reference, reference, null);
        string full = KernelLoader.Find(reference, cwd) ?? throw new InputException($"kernel '{Token.Show(reference)}' not found");
        string text = TextFile.Read(full);
        string stem = Path.GetFileNameWithoutExtension(full);
        if (KernelLoader.Find(stem, null) is { } byName && TextFile.Read(byName) == text) return new KernelChoice(stem, stem, null);
        return new KernelChoice(reference, reference, (RegressionStore.Safe(stem), text));
    }
}
