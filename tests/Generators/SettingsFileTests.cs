using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Simulation;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Generators;

/// <summary>Settings files are read as the lines they show, every name known, set once, within range.</summary>
public class SettingsFileTests
{
    [Fact]
    public void A_settings_file_with_cr_only_line_ends_is_read_line_by_line_not_as_one_comment()
    {
        GeneratorSettings s = GeneratorSettings.Parse("# old Mac editor\rMaxOps = 5\rDevicePercent = 90\r", "mac.settings");
        Assert.Equal(5, s.MaxOps);
        Assert.Equal(90, s.DevicePercent);
    }

    [Theory]
    [InlineData("MaxOps = 3\nMaxOpz = 3\n", 2, "unknown setting 'MaxOpz'")]
    [InlineData("MaxOps = 3\n\nMaxOps = 4\n", 3, "'MaxOps' is set twice (first at line 1)")]
    [InlineData("DevicePercent = 101\n", 1, "'DevicePercent' takes a whole number from 0 to 100, not '101'")]
    [InlineData("LoadWeight = 2147483647\n", 1, "from 0 to 1000000")]
    [InlineData("MaxOps = -1\n", 1, "from 0 to")]
    [InlineData("MaxOps 3\n", 1, "write 'Name = value'")]
    public void Bad_lines_are_errors_at_their_line(string text, int line, string message)
    {
        var e = Assert.Throws<FileFormatException>(() => GeneratorSettings.Parse(text, "x.settings"));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Settings_that_leave_no_agent_running_still_generate_scenarios_that_run()
    {
        GeneratorSettings idle = GeneratorSettings.Parse("IdleCpuPercent = 100\nDevicePercent = 0\nForkPercent = 0\nKsmdPercent = 0\nKswapdPercent = 0\nKcompactdPercent = 0\n", "idle.settings");
        for (ulong seed = 0; seed < 50; seed++)
            Replayer.Run(ScenarioGenerator.Generate(new PcgChoices(seed), idle, "v4.14"), TestKit.Fixed);
    }
}
