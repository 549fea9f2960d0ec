namespace Fuzz;

internal static class Usage
{
    public const string Text = """
        usage: fuzz COMMAND [options]

          replay FILE [--kernel K] [--brief]
              Replay a scenario file; print the per-agent table and the verdict.
              Exit 0 when the verdict is what the file expects, 1 otherwise.
          recipes [--kernel K] [RECIPE...]
              Print every recipe (or the named ones) step by step, with kernel names.
          steps
              Print the step vocabulary that recipes and variant files use.

        K is v4.14 (the fixed kernel), a variant name from kernels/, or a path to a .kernel file.

        """;
}
