using Fuzz.Model.Kernel;

namespace Fuzz.Commands;

/// <summary>fuzz steps: the vocabulary of steps, by category, with what each models.</summary>
internal static class StepsCommand
{
    public const string Usage = """
        steps
            Print the step vocabulary that recipes and variant files use.
        """;

    public static int Run(CliArgs args)
    {
        args.NoPositionals("steps");
        foreach (var group in Enum.GetValues<StepId>().GroupBy(id => StepCatalog.Info(id).Category))
        {
            Console.WriteLine($"{group.Key}:");
            foreach (StepId id in group)
            {
                StepInfo info = StepCatalog.Info(id);
                string flags = info.Local ? " (zero-time)" : info.Blocking ? " (may wait)" : "";
                Console.WriteLine($"  {info.Name,-38} {info.Summary}{flags}");
            }
        }
        Console.WriteLine();
        Console.WriteLine("operands: step(page) step(new_page) step(dst_mm) step(range) step(tlb) step(orig_pte)");
        return 0;
    }
}
