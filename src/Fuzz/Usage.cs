namespace Fuzz;

internal static class Usage
{
    public const string Text = """
        usage: fuzz COMMAND [options]

          run [--kernel K] [--seconds 30 | --scenarios N] [--seed S] [--max-failures 1]
              [--oracle NAME] [--settings FILE] [--save DIR | --no-save] [--stats]
              [--scenario-seed S]
              Fuzz the kernel with generated scenarios; shrink and print every distinct
              failure, save it as a regression file (default: tests/Regressions).
              Exit 0 when nothing was found, 1 when something was.

          replay FILE [--kernel K] [--brief] [--schedule]
              Replay a scenario file; print the per-agent table, the orderings its
              violation needs, and the verdict, then check every verdict the file
              states. Exit 0 when all hold, 1 otherwise.
              --kernel K   run under another kernel (no file verdicts checked)
              --brief      leave out the zero-time steps and the steps no ordering needs
              --schedule   also print the schedule actually taken
          promote FILE... [--to DIR]
              Check that each counterexample replays to its stated verdicts and copy it
              into tests/Regressions (never overwriting).
          audit [--kernel K] [--budget 250000] [--workers N] [--seed S] [--recipe R]
                [--only "RECIPE: EDIT"] [--settings FILE] [--out DIR | --no-save]
              For every recipe, fuzz each mutant (a step removed; a flush or notify moved
              past the next unlock) for --budget scenarios; print which are caught, with
              the oracle and shrunk size, and which never are. Caught mutants are saved
              with their kernel files (default: audit/). Exit 1 when a step the audit
              must catch was not caught.
          campaign [--kernel K] [--minutes 10 | --hours H | --seconds S] [--scenarios N] [--workers N]
                   [--seed S] [--settings FILE] [--oracle NAME] [--max-failures N]
                   [--shard i/n] [--dir DIR]
          campaign --resume DIR [--minutes M | --hours H | --seconds S]
              A long fuzz run on every core into a campaign directory (default:
              campaigns/KERNEL-TIME): distinct failures shrunk and saved as they are
              found, checkpoints, report.html at the end. Ctrl-C or SIGTERM stops
              cleanly; --resume continues. --scenarios is per worker (reproducible
              runs); --shard i/n takes every n-th scenario, for n machines.
          merge OUT DIR...
              Merge campaign directories (e.g. the shards of one campaign) into OUT.
          report DIR
              Redraw a campaign's report.html.
          export FILE --c [--out FILE.c]
              Write the counterexample as a C program that drives its CPU-side operations
              in a tight loop on a real Linux machine and checks what user space sees
              (exit 0 clean, 1 violation seen, 77 skipped: a resource is missing).
          recipes [--kernel K] [RECIPE...]
              Print every recipe (or the named ones) step by step, with kernel names.
          steps
              Print the step vocabulary that recipes and variant files use.
          settings [FILE]
              Print the scenario-space settings (defaults, or FILE's) as --settings reads them.

        K is v4.14 (the fixed kernel), a variant name from kernels/, or a path to a .kernel file.

        """;
}
