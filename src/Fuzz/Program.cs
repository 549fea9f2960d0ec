using Fuzz.Formats.Text;

namespace Fuzz;

/// <summary>
/// The `fuzz` command. Exit codes: 0 as expected, 1 a finding or unmet expectation, 2 a usage or
/// input error (one line naming the file and line, or the argument). Nothing escapes as an
/// unhandled exception: each known bad input is refused where it is parsed, and a last-resort
/// handler turns anything else into one line and exit 2.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            // A thread other than Main's failed: the same one line, not a stack trace and exit 134.
            Console.Error.WriteLine(Internal(e.ExceptionObject as Exception));
            Environment.Exit(2);
        };
        Interrupt.Install();
        try
        {
            return Dispatch(args);
        }
        catch (InputException e)
        {
            Console.Error.WriteLine($"fuzz: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file system refused (no space, read-only, permission): the user's to fix, not a bug.
            Console.Error.WriteLine($"fuzz: {Token.Show(e.Message.ReplaceLineEndings(" "), 300)}");
            return 2;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine(Internal(e));
            return 2;
        }
        catch (OutOfMemoryException)
        {
            Console.Error.WriteLine("fuzz: out of memory");
            return 2;
        }
    }

    private static int Dispatch(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            if (args.Length == 2 && args[0] == "help" && CommandTable.Find(args[1]) is { } named)
            {
                Console.Out.Write(Usage.Of(named));
                return 0;
            }
            Console.Out.Write(Usage.All);
            return args.Length == 0 ? 2 : 0;
        }
        Command? command = CommandTable.Find(args[0]);
        if (command is null)
        {
            Console.Error.WriteLine($"fuzz: unknown command '{Token.Show(args[0])}'; commands: {string.Join(", ", CommandTable.All.Select(c => c.Name))}");
            Console.Error.WriteLine($"run '{Invocation.Fuzz("--help")}' for usage");
            return 2;
        }
        string[] rest = args[1..];
        if (rest.Any(a => a is "--help" or "-h"))
        {
            Console.Out.Write(Usage.Of(command));
            return 0;
        }
        try
        {
            return command.Run(new CliArgs(rest));
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"fuzz {command.Name}: {e.Message}");
            Console.Error.WriteLine($"run '{Invocation.Fuzz(command.Name + " --help")}' for usage");
            return 2;
        }
    }

    /// <summary>An exception no check caught: a bug of the tool, said in one line (FUZZ_DEBUG=1 prints the stack too).</summary>
    private static string Internal(Exception? e)
    {
        string what = e is null ? "unknown error" : $"{e.GetType().Name}: {Token.Show(e.Message.ReplaceLineEndings(" "), 300)}";
        string text = $"fuzz: internal error ({what}); this is a bug, please report it with the command line";
        if (Environment.GetEnvironmentVariable("FUZZ_DEBUG") == "1" && e is not null) text += "\n" + e;
        return text;
    }
}
