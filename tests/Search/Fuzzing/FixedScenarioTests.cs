using Fuzz.Formats.Scenarios;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Search.Fuzzing;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Fuzzing;

/// <summary>
/// Fuzzing the schedules of one fixed scenario ('fuzz run --scenario FILE'): every seed keeps the
/// scenario's machine, pages and programs and draws a fresh schedule for them as the generator
/// draws a generated scenario's, and a finding regenerates from its schedule seed.
/// </summary>
public class FixedScenarioTests
{
    // Race (b) of the thread on the seed-b variant, with its hand-written schedule, which the
    // drawn ones replace.
    private const string SeedB = "kernel seed-b\nexpect violation linearizability\n" + ThreadScenarios.SeedB +
        "\nschedule:\n  DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*12 CPU1 DEV\n";

    private static FuzzRunner Runner(Scenario fixedScenario, KernelDefinition kernel, string kernelRef, ulong seed, long schedules) =>
        new(new FuzzOptions { Kernel = kernel, KernelRef = kernelRef, FixedScenario = fixedScenario, Seed = seed, MaxScenarios = schedules });

    [Fact]
    public void Each_seed_keeps_the_scenario_and_draws_its_own_schedule_the_way_the_generator_does()
    {
        Scenario fixedScenario = TestKit.Scenario(SeedB);
        FuzzRunner runner = Runner(fixedScenario, TestKit.Kernel("seed-b"), "seed-b", 1, 1);
        var schedules = new HashSet<string>(StringComparer.Ordinal);
        for (ulong seed = 0; seed < 20; seed++)
        {
            Scenario drawn = runner.Generate(seed);
            string body = ScenarioWriter.Write(drawn);
            Assert.Equal(ScenarioWriter.Write(fixedScenario with { Expect = null, Schedule = drawn.Schedule }), body);
            Assert.Equal(body, ScenarioWriter.Write(runner.Generate(seed)));
            // The generator's own draw for these agents and programs, from the same choices.
            Assert.Equal(ScheduleGenerator.Draw(new PcgChoices(seed), GeneratorSettings.Default, fixedScenario), drawn.Schedule);
            Assert.Equal(fixedScenario.OperationCount * GeneratorSettings.Default.ScheduleTokensPerOp, drawn.Schedule.Count);
            schedules.Add(string.Join(' ', drawn.Schedule));
        }
        Assert.True(schedules.Count == 20, $"{schedules.Count} distinct schedules in 20 seeds");
    }

    [Fact]
    public void Fuzzing_the_schedules_of_race_b_finds_it_and_the_finding_regenerates_from_its_schedule_seed()
    {
        Scenario fixedScenario = TestKit.Scenario(SeedB);
        FuzzRunner runner = Runner(fixedScenario, TestKit.Kernel("seed-b"), "seed-b", 7, 20_000);
        runner.Run();
        Finding f = Assert.Single(runner.Findings);
        Assert.Equal(OracleId.Linearizability, f.Oracle);
        Assert.True(f.SeedDrawsSchedule);
        Assert.Equal("Schedule seed", f.SeedName);
        Assert.Equal(ScenarioWriter.Write(runner.Generate(f.ScenarioSeed)), ScenarioWriter.Write(f.Original));
        Assert.Equal("seed-b", f.Original.Kernel);
        Assert.Equal(fixedScenario.Programs.Count, f.Original.Programs.Count);
        Assert.True(f.Shrunk.OperationCount <= fixedScenario.OperationCount);
    }
}
