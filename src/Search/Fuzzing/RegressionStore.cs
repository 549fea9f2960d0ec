using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Reporting.Text;
using Fuzz.Search.Shrinking;

namespace Fuzz.Search.Fuzzing;

/// <summary>
/// Saves findings as regression scenario files. A file is written atomically (temporary file,
/// flush, rename) and never over another file: if the same scenario is already saved (under any
/// name) nothing is written; if the name is taken by a different scenario, a suffix is added.
/// </summary>
public static class RegressionStore
{
    public sealed record Saved(string Path, bool New);

    /// <summary>
    /// The file for a finding: the shrunk scenario with its verdicts, provenance comments, and the
    /// rendered table as a trailing comment. On the fixed kernel a finding is a bug to fix, so the
    /// file expects coherence (and fails until fixed); on a variant it records the counterexample.
    /// </summary>
    public static (Scenario Scenario, IReadOnlyList<string> Table) Compose(Finding f, KernelDefinition kernel, string tool, DateOnly date, SimOptions? options = null, string? regenerate = null)
    {
        Scenario s = f.Shrunk;
        ReplayResult r = Replayer.Run(s, kernel, options);
        bool fixedKernel = kernel.Name == KernelDefinition.FixedName;
        var expectUnder = new List<KernelExpectation>();
        KernelDefinition? fixedDef = fixedKernel ? null : FixedKernel();
        if (fixedDef is not null && Replayer.Run(s with { Kernel = KernelDefinition.FixedName }, fixedDef, options).Coherent)
            expectUnder.Add(new KernelExpectation(KernelDefinition.FixedName, Expectation.CoherentRun));
        var comments = new List<string>
        {
            $"Found by '{tool}' on {date:yyyy-MM-dd}: {OracleNames.Name(f.Oracle)} under {RunReport.Describe(kernel)}.",
            $"{f.SeedName} {Seeds.Format(f.ScenarioSeed)}; regenerate: " +
                (regenerate ?? $"dotnet run --project src/Fuzz -c Release -- run --kernel {s.Kernel} --scenario-seed {Seeds.Format(f.ScenarioSeed)}"),
            $"Shrunk from {f.Original.OperationCount} operations and {f.Original.Schedule.Count} schedule actions to {s.OperationCount} and {s.Schedule.Count} ({f.ShrinkReplays} replays).",
        };
        for (int i = 0; i < r.Sim.Violations.Count; i++) comments.Add(ViolationText.Describe(r.Sim, r.Sim.Violations[i]));
        if (fixedKernel)
        {
            comments.Add("FOUND ON THE FIXED KERNEL: this file expects coherence and fails until the model or the");
            comments.Add("kernel recipe is fixed (or the file is retired, see README).");
        }
        Scenario composed = s with
        {
            Comments = comments,
            Expect = fixedKernel ? Expectation.CoherentRun : Expectation.Violation(f.Oracle),
            ExpectUnder = expectUnder,
        };
        return (composed, TableRenderer.Render(r.Sim));
    }

    /// <summary>The fixed kernel a finding is checked against (kernels/v4.14-fixed.kernel), or null where there is no kernels/ folder.</summary>
    private static KernelDefinition? FixedKernel()
    {
        try
        {
            return KernelLoader.Load(KernelDefinition.FixedName, Directory.GetCurrentDirectory());
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <param name="kernelFile">
    /// The kernel's file when the finding's kernel was given by path: it is placed beside the
    /// scenario (<see cref="PlaceKernel"/>) and the scenario names it, so the file replays wherever
    /// the directory goes (the next 'dotnet test' finds a regression's kernel beside it).
    /// </param>
    public static Saved Save(string directory, Finding f, KernelDefinition kernel, string tool, DateOnly date, SimOptions? options = null,
        string? regenerate = null, (string Stem, string Text)? kernelFile = null)
    {
        if (kernelFile is var (kstem, ktext))
        {
            string placed = PlaceKernel(directory, kstem, ktext);
            f = f with { Shrunk = f.Shrunk with { Kernel = placed } };
        }
        var (scenario, table) = Compose(f, kernel, tool, date, options, regenerate);
        string text = ScenarioWriter.Write(scenario, table);
        string? existing = FindSame(directory, scenario, kernel, f.Oracle, options);
        if (existing is not null) return new Saved(existing, false);
        string stem = $"{Safe(kernel.Name)}-{OracleNames.Name(f.Oracle)}-{ScenarioHash.Short(scenario)}";
        for (int n = 1; ; n++)
        {
            string path = Path.Combine(directory, n == 1 ? stem + ".scenario" : $"{stem}-{n}.scenario");
            if (AtomicFile.CreateNew(path, text)) return new Saved(path, true);
        }
    }

    /// <summary>
    /// A file in the directory holding the same scenario, if any: the same canonical body, or (given
    /// the kernel and oracle of a shrunk, canonical finding) a file of the same kernel that fails the
    /// same way and shrinks to the same canonical scenario, such as a hand-written regression whose
    /// schedule takes a few more steps to the same race.
    /// </summary>
    public static string? FindSame(string directory, Scenario s, KernelDefinition? kernel = null, OracleId? oracle = null, SimOptions? options = null)
    {
        if (!Directory.Exists(directory)) return null;
        string body = ScenarioHash.Body(s);
        var sameKernel = new List<(string File, Scenario Scenario)>();
        foreach (string file in Directory.EnumerateFiles(directory, "*.scenario").Order(StringComparer.Ordinal))
        {
            try
            {
                Scenario existing = ScenarioParser.Load(file);
                if (ScenarioHash.Body(existing) == body) return file;
                if (existing.Kernel == s.Kernel) sameKernel.Add((file, existing));
            }
            catch (InputException)
            {
                // A malformed file is reported by the regression test; it cannot be a duplicate.
            }
        }
        if (kernel is null || oracle is not { } o) return null;
        var shrinker = new Shrinker(kernel, o, options);
        foreach (var (file, existing) in sameKernel)
        {
            if (shrinker.Fails(existing) && ScenarioHash.Body(shrinker.Shrink(existing)) == body) return file;
        }
        return null;
    }

    /// <summary>
    /// Put a kernel file into the directory under its stem (or STEM-2, -3, ... when that name holds
    /// another text) unless the same text is already there under one of those names; never
    /// overwrites. Returns the file name the scenario should name.
    /// </summary>
    public static string PlaceKernel(string directory, string stem, string text)
    {
        for (int n = 1; ; n++)
        {
            string name = n == 1 ? stem + ".kernel" : $"{stem}-{n}.kernel";
            string path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                if (TextFile.Read(path) == text) return name;
                continue;
            }
            if (AtomicFile.CreateNew(path, text) || TextFile.Read(path) == text) return name;
        }
    }

    /// <summary>A name made safe for a file name (letters, digits, '-' and '.'; anything else becomes '_').</summary>
    public static string Safe(string name) =>
        new(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_').ToArray());
}
