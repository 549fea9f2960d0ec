using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Scenarios;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Commands;

/// <summary>
/// fuzz promote FILE...: copy counterexamples (from a campaign or --save directory) into
/// tests/Regressions (or --to DIR), after checking that each still replays to the verdicts it
/// states. Never overwrites, and writes nothing for a file it refuses: every check (verdicts, the
/// same scenario already there, a name taken by another scenario, a different kernel file of the
/// same name) comes first, then the kernel files, then the scenario. Two promotes at once each end
/// with the file promoted once.
/// </summary>
internal static class PromoteCommand
{
    public const string Usage = """
        promote FILE... [--to DIR]
            Check that each counterexample replays to its stated verdicts and copy it, with the
            kernel file it names if that lies beside it, into tests/Regressions of the repository
            you run in (or DIR). Never overwrites; a file already there is reported.
            Exit 1 when a file could not be promoted.
        """;

    public static int Run(CliArgs args)
    {
        string? to = args.Option("--to");
        IReadOnlyList<string> files = args.Positionals();
        if (files.Count == 0) throw new UsageException("promote takes one or more scenario files");
        string target = to ?? Path.Combine(KernelLoader.RepoRoot(Directory.GetCurrentDirectory())
            ?? throw new UsageException("run promote inside the repository, or give --to DIR"), "tests", "Regressions");
        if (File.Exists(target)) throw new InputException($"{target} is a file, not a directory");
        // A directory fuzz owns (a campaign, or its findings/) has one writer at a time; elsewhere promote only adds new files.
        string? owned = OwnedDirectory(target);
        using DirectoryLock? held = owned is null ? null : DirectoryLock.Acquire(owned, "promote");
        int failed = 0;
        foreach (string file in files)
        {
            if (!Promote(file, target)) failed++;
        }
        return failed == 0 ? 0 : 1;
    }

    private static bool Promote(string file, string target)
    {
        ScenarioFile source = ScenarioFile.Load(file);
        Scenario s = source.Scenario;
        if (s.Expect is null) throw new FileFormatException(file, 0, "a regression must state 'expect coherent' or 'expect violation ORACLE'");
        var checks = ExpectationCheck.All(source);
        if (checks.Any(c => !c.Met))
        {
            foreach (var c in checks.Where(c => !c.Met)) Console.WriteLine($"{file}: {c.Describe()}");
            return false;
        }
        var kernel = source.Kernel(s.Kernel);
        Model.Oracles.OracleId? oracle = s.Expect is { Coherent: false } e ? e.Oracle : null;
        if (RegressionStore.FindSame(target, s, kernel, oracle) is { } same)
        {
            Console.WriteLine($"{file}: already in {Shown(same)}");
            return true;
        }
        string dest = Path.Combine(target, Path.GetFileName(file));
        if (File.Exists(dest))
        {
            Console.WriteLine($"{file}: {Shown(dest)} exists and holds another scenario; rename the file and promote again");
            return false;
        }
        var kernels = KernelFiles(s, source.Directory, target, file);
        if (kernels is null) return false;
        foreach (var (name, text) in kernels)
        {
            string path = Path.Combine(target, name);
            if (AtomicFile.CreateNew(path, text)) Console.WriteLine($"{file}: copied its kernel {name}");
            else if (TextFile.Read(path) != text)
            {
                Console.WriteLine($"{file}: its kernel {name} differs from {Shown(path)}; rename one and promote again");
                return false;
            }
        }
        if (AtomicFile.CreateNew(dest, TextFile.Read(file)))
        {
            Console.WriteLine($"{file}: promoted to {Shown(dest)}");
            return true;
        }
        // Someone else wrote that name meanwhile (another promote of the same file, say).
        if (RegressionStore.FindSame(target, s) is { } now)
        {
            Console.WriteLine($"{file}: already in {Shown(now)}");
            return true;
        }
        Console.WriteLine($"{file}: {Shown(dest)} exists and holds another scenario; rename the file and promote again");
        return false;
    }

    /// <summary>
    /// The kernel files a scenario names that lie beside it (an audit mutant, a campaign's variant)
    /// and are not yet in the target; null (after saying why) when the target holds a different file
    /// of the same name.
    /// </summary>
    private static List<(string Name, string Text)>? KernelFiles(Scenario s, string fromDir, string target, string file)
    {
        var result = new List<(string, string)>();
        foreach (string name in new[] { s.Kernel }.Concat(s.ExpectUnder.Select(k => k.Kernel)).Distinct())
        {
            if (!name.EndsWith(".kernel", StringComparison.Ordinal) || Path.IsPathRooted(name) || name.Contains('/')) continue;
            string source = Path.Combine(fromDir, name);
            if (!File.Exists(source)) continue;
            string text = TextFile.Read(source);
            string dest = Path.Combine(target, name);
            if (File.Exists(dest))
            {
                if (TextFile.Read(dest) == text) continue;
                Console.WriteLine($"{file}: its kernel {name} differs from {Shown(dest)}; rename one and promote again");
                return null;
            }
            result.Add((name, text));
        }
        return result;
    }

    /// <summary>The target, or its parent, when fuzz created it (it carries the marker).</summary>
    private static string? OwnedDirectory(string target)
    {
        string full = Path.GetFullPath(target);
        foreach (string? d in new[] { full, Path.GetDirectoryName(full) })
        {
            if (d is not null && Directory.Exists(d) && ToolDirectory.KindOf(d) is not null) return d;
        }
        return null;
    }

    private static string Shown(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
}
