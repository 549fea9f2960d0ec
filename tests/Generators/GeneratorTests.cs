using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Generators;

public class GeneratorTests
{
    private static Scenario Gen(ulong seed, GeneratorSettings? s = null) =>
        ScenarioGenerator.Generate(new PcgChoices(seed), s ?? GeneratorSettings.Default, "v4.14");

    [Fact]
    public void The_same_seed_gives_the_same_scenario_and_different_seeds_differ()
    {
        Assert.Equal(ScenarioWriter.Write(Gen(42)), ScenarioWriter.Write(Gen(42)));
        var distinct = Enumerable.Range(0, 50).Select(i => ScenarioWriter.Write(Gen((ulong)i))).Distinct().Count();
        Assert.True(distinct > 45);
    }

    [Fact]
    public void Generated_scenarios_are_valid_files_and_run()
    {
        for (ulong seed = 0; seed < 300; seed++)
        {
            Scenario s = Gen(seed);
            string text = ScenarioWriter.Write(s);
            Scenario back = ScenarioParser.Parse(text, $"seed-{seed}.scenario");
            Assert.Equal(text, ScenarioWriter.Write(back));
            Replayer.Run(back, TestKit.Fixed);
        }
    }

    [Fact]
    public void Settings_bound_the_space()
    {
        var s = GeneratorSettings.Default with { MinCpus = 4, MaxCpus = 4, MinPages = 3, MaxPages = 3, DevicePercent = 0, ForkPercent = 0 };
        for (ulong seed = 0; seed < 100; seed++)
        {
            Scenario g = Gen(seed, s);
            Assert.Equal(4, g.Cpus);
            Assert.Equal(3, g.Pages);
            Assert.False(g.HasDevice);
            Assert.DoesNotContain(g.Programs.SelectMany(p => p.Ops), o => o.Kind == OpKind.Fork);
        }
    }

    [Fact]
    public void With_a_device_the_schedule_draws_every_iommu_and_device_action_and_runs_take_them()
    {
        var s = GeneratorSettings.Default with { DevicePercent = 100 };
        var drawn = new HashSet<Fuzz.Model.Scheduling.ActionKind>();
        var taken = new HashSet<Fuzz.Model.Scheduling.ActionKind>();
        for (ulong seed = 0; seed < 300; seed++)
        {
            Scenario g = Gen(seed, s);
            foreach (var a in g.Schedule) drawn.Add(a.Kind);
            foreach (var a in Replayer.Run(g, TestKit.Fixed).Taken) taken.Add(a.Kind);
        }
        Assert.Equal(Enum.GetValues<Fuzz.Model.Scheduling.ActionKind>().Order(), drawn.Order());
        Assert.Equal(Enum.GetValues<Fuzz.Model.Scheduling.ActionKind>().Order(), taken.Order());
    }

    [Fact]
    public void Settings_files_are_read_by_name_and_errors_name_the_line()
    {
        GeneratorSettings s = GeneratorSettings.Parse("# more devices\nDevicePercent = 90\nMaxOps = 5\n", "x.settings");
        Assert.Equal(90, s.DevicePercent);
        Assert.Equal(5, s.MaxOps);
        var e = Assert.Throws<FileFormatException>(() => GeneratorSettings.Parse("MaxOps = 2\nWobble = 3\n", "bad.settings"));
        Assert.StartsWith("bad.settings:2:", e.Message);
        e = Assert.Throws<FileFormatException>(() => GeneratorSettings.Parse("MinCpus = 3\nMaxCpus = 2\n", "bad.settings"));
        Assert.Contains("MinCpus <= MaxCpus", e.Message);
    }
}
