using Fuzz.Commands;
using Fuzz.Formats.Text;

namespace Fuzz;

/// <summary>The `fuzz` command. Exit codes: 0 as expected, 1 a finding or unmet expectation, 2 a usage or file error.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.Write(Usage.Text);
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            var rest = new CliArgs(args[1..]);
            return args[0] switch
            {
                "run" => RunCommand.Run(rest),
                "replay" => ReplayCommand.Run(rest),
                "promote" => PromoteCommand.Run(rest),
                "recipes" => RecipesCommand.Run(rest),
                "steps" => StepsCommand.Run(rest),
                "settings" => SettingsCommand.Run(rest),
                "audit" => AuditCommand.Run(rest),
                "campaign" => CampaignCommand.Run(rest),
                "merge" => MergeCommand.Run(rest),
                "report" => ReportCommand.Run(rest),
                "export" => ExportCommand.Run(rest),
                _ => Unknown(args[0]),
            };
        }
        catch (FileFormatException e)
        {
            Console.Error.WriteLine($"fuzz: {e.Message}");
            return 2;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"fuzz: {e.Message}");
            Console.Error.WriteLine("run 'fuzz --help' for usage");
            return 2;
        }
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine($"fuzz: {e.Message}");
            return 2;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"fuzz: {e.Message}");
            return 2;
        }
    }

    private static int Unknown(string command)
    {
        Console.Error.WriteLine($"fuzz: unknown command '{command}'");
        Console.Error.Write(Usage.Text);
        return 2;
    }
}
