using Fuzz.Generators;

namespace Fuzz.Commands;

/// <summary>fuzz settings [FILE]: the scenario space's settings (defaults, or a file's), in the format --settings reads.</summary>
internal static class SettingsCommand
{
    public const string Usage = """
        settings [FILE]
            Print the scenario-space settings (defaults, or FILE's) as --settings reads them.
        """;

    public static int Run(CliArgs args)
    {
        IReadOnlyList<string> files = args.Positionals();
        if (files.Count > 1) throw new UsageException("settings takes at most one settings file");
        GeneratorSettings s = files.Count == 1 ? GeneratorSettings.Load(files[0]) : GeneratorSettings.Default;
        Console.WriteLine("# Scenario space for 'fuzz run --settings FILE' (weights are relative, *Percent are chances).");
        foreach (string line in s.Describe()) Console.WriteLine(line);
        return 0;
    }
}
