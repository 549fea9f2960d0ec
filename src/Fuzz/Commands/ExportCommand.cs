using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Reporting.C;

namespace Fuzz.Commands;

/// <summary>
/// fuzz export FILE --c [--out FILE.c]: the counterexample as a C program that drives its CPU-side
/// operations on a real Linux machine and checks from user space what they see. Writes only a new
/// file or one it wrote before.
/// </summary>
internal static class ExportCommand
{
    public const string Usage = """
        export FILE --c [--out FILE.c]
            Write the counterexample as a C program that drives its CPU-side operations
            in a tight loop on a real Linux machine and checks what user space sees
            (exit 0 clean, 1 violation seen, 77 skipped: a resource is missing).
        """;

    public static int Run(CliArgs args)
    {
        bool c = args.Flag("--c");
        string? output = args.Option("--out");
        IReadOnlyList<string> files = args.Positionals();
        if (files.Count != 1) throw new UsageException("export takes one scenario file");
        if (!c) throw new UsageException("export needs a format: --c (a C program for a real kernel)");
        string file = files[0];
        ScenarioFile source = ScenarioFile.Load(file);
        Scenario s = source.Scenario;
        ReplayResult r = source.Replay(s, source.Kernel(s.Kernel));
        OracleId? oracle = s.Expect is { Coherent: false } e && r.Violates(e.Oracle) ? e.Oracle : r.Coherent ? null : r.Sim.Violations[0].Oracle;
        if (oracle is null) Console.WriteLine($"note: {file} is coherent in the model under {s.Kernel}; the program checks the same values anyway");
        string text;
        try
        {
            text = CReproducer.Write(s, Path.GetFileName(file), s.Kernel, oracle);
        }
        catch (ExportException x)
        {
            Console.Error.WriteLine($"fuzz: cannot export {file} as C: {x.Message}");
            return 2;
        }
        output ??= Path.ChangeExtension(Path.GetFileName(file), ".c");
        if (File.Exists(output) && !File.ReadAllText(output).StartsWith(CReproducer.Signature, StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"fuzz: {output} exists and was not written by 'fuzz export': not overwritten (give --out)");
            return 2;
        }
        AtomicFile.Write(output, text);
        Console.WriteLine($"wrote {output}");
        Console.WriteLine($"  build and run: cc -O2 -pthread -o repro {output} && ./repro -n 10000   (as root if it needs swap or KSM; exit 77: skipped)");
        return 0;
    }
}
