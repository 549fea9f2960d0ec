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

    /// <summary>
    /// kswapd programs pass over a page several times, and the swap device is scheduled, so that a
    /// page left under writeback by one pass (or activated because it was young) is freed by a
    /// later pass of the same program: the swap-out of v4.14, spread over passes.
    /// </summary>
    [Fact]
    public void Kswapd_passes_over_a_page_again_and_frees_it_after_its_writeback()
    {
        var settings = GeneratorSettings.Default with { KswapdPercent = 100, DevicePercent = 0, KsmdPercent = 0, KcompactdPercent = 0 };
        int repeated = 0, scheduled = 0, freedLater = 0;
        for (ulong seed = 0; seed < 600; seed++)
        {
            Scenario g = Gen(seed, settings);
            IReadOnlyList<Operation> ops = g.ProgramOf(AgentKind.Kswapd)!.Ops;
            if (ops.Zip(ops.Skip(1)).Any(p => p.First == p.Second)) repeated++;
            if (g.Schedule.Any(a => a.Agent == g.Layout.Disk)) scheduled++;
            if (FreedOnALaterPass(Replayer.Run(g, TestKit.Fixed))) freedLater++;
        }
        Assert.True(repeated > 200, $"{repeated} of 600 kswapd programs pass over a page twice in a row");
        Assert.True(scheduled > 500, $"{scheduled} of 600 schedules give the swap device turns");
        Assert.True(freedLater > 10, $"{freedLater} of 600 runs freed a page on a pass after the one that wrote it");
    }

    /// <summary>A kswapd pass freed a page whose write an earlier pass submitted and the swap device then completed.</summary>
    private static bool FreedOnALaterPass(ReplayResult r)
    {
        var submittedBy = new Dictionary<int, int>();
        int completed = -1;
        foreach (Fuzz.Model.Trace.TraceEvent e in r.Sim.Trace.Events)
        {
            if (e.Kind != Fuzz.Model.Trace.TraceKind.Step) continue;
            string agent = r.Sim.AgentNames[e.Agent];
            if (agent == "kswapd" && e.Step == Fuzz.Model.Kernel.StepId.submit_bio && e.Result) submittedBy[e.Pfn] = CurrentOp(r, e);
            if (agent == "disk" && e.Step == Fuzz.Model.Kernel.StepId.end_page_writeback) completed = e.Pfn;
            if (agent == "kswapd" && e.Step == Fuzz.Model.Kernel.StepId.free_hot_cold_page_list && e.Result
                && completed == e.Pfn && submittedBy.TryGetValue(e.Pfn, out int op) && op != CurrentOp(r, e))
                return true;
        }
        return false;
    }

    private static int CurrentOp(ReplayResult r, in Fuzz.Model.Trace.TraceEvent e)
    {
        int op = -1;
        foreach (Fuzz.Model.Trace.TraceEvent b in r.Sim.Trace.Events)
        {
            if (b.Tick > e.Tick) break;
            if (b.Agent == e.Agent && b.Kind == Fuzz.Model.Trace.TraceKind.OpBegin) op = b.Op;
        }
        return op;
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
