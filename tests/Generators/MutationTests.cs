using Fuzz.Generators;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Generators;

/// <summary>Seeded mutants of the shipped settings files (and of the defaults as 'fuzz settings' prints them) parse or name their file and line.</summary>
public class MutationTests
{
    [Fact]
    public void Mutated_settings_files_parse_or_name_their_file_and_line()
    {
        var files = MutationCorpus.Read(MutationCorpus.Shipped("settings", "*.settings")).ToList();
        files.Add(("defaults.settings", string.Join('\n', GeneratorSettings.Default.Describe()) + "\n"));
        // Parsed, then a few scenarios generated and run as 'fuzz run --settings' does (parsed settings must generate).
        var (accepted, refused) = MutationCorpus.Check(files, 100, seed: 3000, (text, path) =>
        {
            GeneratorSettings s = GeneratorSettings.Parse(text, path);
            for (ulong seed = 0; seed < 10; seed++)
            {
                try
                {
                    Fuzz.Model.Simulation.Replayer.Run(ScenarioGenerator.Generate(new PcgChoices(seed), s, "v4.14"), TestKit.Fixed);
                }
                catch (Fuzz.Model.Simulation.ModelLimitException)
                {
                    // The fuzz loop skips a generated scenario beyond the model's limits.
                }
            }
        });
        Assert.True(accepted > 10 && refused > 10, $"{accepted} accepted, {refused} refused");
    }
}
