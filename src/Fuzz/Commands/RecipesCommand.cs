using Fuzz.Formats.Kernels;
using Fuzz.Model.Kernel;
using Fuzz.Model.Trace;
using Fuzz.Model.Variants;
using Fuzz.Reporting.Text;

namespace Fuzz.Commands;

/// <summary>fuzz recipes: every operation's steps in order, with kernel names, as a variant file names them.</summary>
internal static class RecipesCommand
{
    public const string Usage = """
        recipes [--kernel K] [RECIPE...]
            Print every recipe (or the named ones) step by step, with kernel names.
        """;

    public static int Run(CliArgs args)
    {
        KernelDefinition k = KernelLoader.Load(args.Option("--kernel") ?? KernelDefinition.BaseName, Directory.GetCurrentDirectory());
        IReadOnlyList<string> only = args.Positionals();
        foreach (string name in only)
        {
            if (!KernelDefinition.TryParseRecipe(name, out _)) throw new UsageException($"unknown recipe '{Formats.Text.Token.Show(name)}'; recipes are: {string.Join(", ", Enum.GetValues<RecipeId>())}");
        }
        Console.WriteLine($"kernel {RunReport.Describe(k)}");
        foreach (string knob in k.Knobs.Describe()) Console.WriteLine($"  knob {knob}");
        foreach (RecipeDraft r in k.Drafts)
        {
            if (only.Count > 0 && !only.Contains(r.Name)) continue;
            Console.WriteLine();
            foreach (string line in RecipeListing.Lines(r, k.Knobs)) Console.WriteLine(line);
        }
        return 0;
    }
}
