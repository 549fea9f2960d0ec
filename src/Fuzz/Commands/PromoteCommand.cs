using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Commands;

/// <summary>
/// fuzz promote FILE...: copy counterexamples (from a campaign or --save directory) into
/// tests/Regressions, after checking that each still replays to the verdicts it states. Never
/// overwrites: a file already there with the same scenario is reported, a name clash is an error.
/// </summary>
internal static class PromoteCommand
{
    public static int Run(CliArgs args)
    {
        string? to = args.Option("--to");
        IReadOnlyList<string> files = args.Positionals();
        if (files.Count == 0) throw new UsageException("promote takes one or more scenario files");
        string root = KernelLoader.RepoRoot(Directory.GetCurrentDirectory())
            ?? throw new UsageException("run promote inside the repository (or give --to DIR)");
        string target = to ?? Path.Combine(root, "tests", "Regressions");
        int failed = 0;
        foreach (string file in files)
        {
            Scenario s = ScenarioParser.Load(file);
            string dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
            if (s.Expect is null) throw new FileFormatException(file, 0, "a regression must state 'expect coherent' or 'expect violation ORACLE'");
            var checks = ExpectationCheck.All(s, dir);
            if (checks.Any(c => !c.Met))
            {
                foreach (var c in checks.Where(c => !c.Met)) Console.WriteLine($"{file}: {c.Describe()}");
                failed++;
                continue;
            }
            string? same = RegressionStore.FindSame(target, s);
            if (same is not null)
            {
                Console.WriteLine($"{file}: already in {Path.GetRelativePath(Directory.GetCurrentDirectory(), same)}");
                continue;
            }
            if (!CarryKernel(file, s, dir, target))
            {
                failed++;
                continue;
            }
            string dest = Path.Combine(target, Path.GetFileName(file));
            if (!AtomicFile.CreateNew(dest, File.ReadAllText(file)))
            {
                Console.WriteLine($"{file}: {dest} exists and holds another scenario; rename the file and promote again");
                failed++;
                continue;
            }
            Console.WriteLine($"{file}: promoted to {Path.GetRelativePath(Directory.GetCurrentDirectory(), dest)}");
        }
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// A scenario that names a kernel file beside it (an audit mutant, a campaign's variant) needs
    /// that file beside it in the target too: copy it, unless the same file is already there.
    /// </summary>
    private static bool CarryKernel(string file, Scenario s, string fromDir, string target)
    {
        var names = new List<string> { s.Kernel };
        names.AddRange(s.ExpectUnder.Select(k => k.Kernel));
        foreach (string name in names.Distinct())
        {
            if (!name.EndsWith(".kernel", StringComparison.Ordinal) || Path.IsPathRooted(name)) continue;
            string source = Path.Combine(fromDir, name);
            if (!File.Exists(source)) continue;
            string dest = Path.Combine(target, name);
            string text = File.ReadAllText(source);
            if (File.Exists(dest))
            {
                if (File.ReadAllText(dest) == text) continue;
                Console.WriteLine($"{file}: its kernel {name} differs from {Path.GetRelativePath(Directory.GetCurrentDirectory(), dest)}; rename one and promote again");
                return false;
            }
            if (!AtomicFile.CreateNew(dest, text)) return false;
            Console.WriteLine($"{file}: copied its kernel {name}");
        }
        return true;
    }
}
