using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Tests.Formats;

public class ScenarioFormatTests
{
    private const string Full = """
        # a title line
        scenario 1
        kernel seed-b
        expect violation linearizability
        expect coherent under v4.14
        cpus 2
        pages 2
        device mm0
        page mm0 A zero
        page mm0 B 7 ro
        cpu 0 mm0: store A 1; madvise_dontneed A-B
        cpu 1 mm0: load A; fork
        device: dma_read A; dma_write B 3
        schedule: DEV.ats:A IOMMU.walk:A DEV.complete:A CPU0*3
          CPU1 CPU1.evict:A IOMMU.cmd:2 IOMMU.evict:B DEV.evict:A kworker
        """;

    [Fact]
    public void Parses_every_directive()
    {
        Scenario s = ScenarioParser.Parse(Full, "x.scenario");
        Assert.Equal("seed-b", s.Kernel);
        Assert.Equal(Expectation.Violation(OracleId.Linearizability), s.Expect);
        Assert.Equal("v4.14", Assert.Single(s.ExpectUnder).Kernel);
        Assert.Equal(2, s.Cpus);
        Assert.Equal(0, s.DeviceMm);
        Assert.Equal(2, s.InitialPages.Count);
        Assert.Equal(new Operation(OpKind.MadviseDontneed, 0, 1), s.CpuProgram(0)!.Ops[1]);
        Assert.Equal(OpKind.Fork, s.CpuProgram(1)!.Ops[1].Kind);
        Assert.Equal(2, s.DeviceProgram()!.Ops.Count);
        Assert.Equal(12, s.Schedule.Count);
        AgentLayout layout = s.Layout;
        Assert.Equal(SchedAction.AtsRequest(layout.Device, 0), s.Schedule[0]);
        Assert.Equal(SchedAction.Walk(layout.Iommu, 0), s.Schedule[1]);
        Assert.Equal(SchedAction.Complete(layout.Device, 0), s.Schedule[2]);
        Assert.Equal(SchedAction.Command(layout.Iommu, 1), s.Schedule[8]);
        Assert.Equal(SchedAction.IotlbEvict(layout.Iommu, 1), s.Schedule[9]);
        Assert.Equal(SchedAction.Evict(layout.Device, 0), s.Schedule[10]);
        Assert.Equal(2, s.Mms);
        Assert.Equal(["a title line"], s.Comments);
    }

    [Fact]
    public void Writing_and_reading_back_gives_the_same_scenario_and_the_same_text()
    {
        Scenario s = ScenarioParser.Parse(Full, "x.scenario");
        string text = ScenarioWriter.Write(s);
        Scenario back = ScenarioParser.Parse(text, "y.scenario");
        Assert.Equal(text, ScenarioWriter.Write(back));
        Assert.Equal(s.Schedule, back.Schedule);
        Assert.Equal(s.InitialPages, back.InitialPages);
    }

    private const string Reclaim = """
        scenario 1
        cpus 1
        pages 2
        page mm0 A 5 rw old
        page mm0 B 6 ro old
        kswapd: swap_out mm0 A; swap_out mm0 A
        schedule: kswapd*3 disk CPU0
        """;

    [Fact]
    public void Old_pages_and_the_swap_device_read_and_write_back()
    {
        Scenario s = ScenarioParser.Parse(Reclaim, "x.scenario");
        Assert.All(s.InitialPages, p => Assert.True(p.Old));
        Assert.False(s.InitialPages[1].Writable);
        // The swap device is an agent once kswapd can write pages out, after the kernel threads.
        Assert.Equal(["CPU0", "kswapd", "disk"], s.Layout.AllNames);
        Assert.Equal(5, s.Schedule.Count);
        string text = ScenarioWriter.Write(s);
        Assert.Contains("page mm0 A 5 rw old", text);
        Assert.Contains("disk CPU0", text);
        Assert.Equal(s.InitialPages, ScenarioParser.Parse(text, "y.scenario").InitialPages);
    }

    [Fact]
    public void Only_a_scenario_that_can_swap_has_the_swap_device()
    {
        Assert.DoesNotContain("disk", ScenarioParser.Parse("scenario 1\ncpu 0 mm0: load A\n", "x").Layout.AllNames);
        Assert.Contains("disk", ScenarioParser.Parse("scenario 1\npage mm0 A swapped 3\n", "x").Layout.AllNames);
    }

    [Theory]
    [InlineData("scenario 2\n", 1, "version 2 is not supported")]
    [InlineData("kernel v4.14\n", 1, "first line must be 'scenario 1'")]
    [InlineData("scenario 1\ncpus 9\n", 2, "cpus N")]
    [InlineData("scenario 1\npages 1\ncpu 0 mm0: load B\n", 3, "outside 'pages 1'")]
    [InlineData("scenario 1\ncpu 0 mm0: jump A\n", 2, "unknown operation 'jump'")]
    [InlineData("scenario 1\ncpu 0 mm0: dma_read A\n", 2, "cannot run on a CPU")]
    [InlineData("scenario 1\ncpu 0 mm0: store A\n", 2, "takes 2 argument")]
    [InlineData("scenario 1\ndevice: dma_read A\n", 2, "needs 'device mm0'")]
    [InlineData("scenario 1\nschedule: CPU7\n", 2, "unknown agent 'CPU7'")]
    [InlineData("scenario 1\n\nschedule: DEV\n", 3, "this scenario's agents are CPU0, CPU1")]
    [InlineData("scenario 1\nschedule: kworker.fill:A\n", 2, "unknown agent")]
    [InlineData("scenario 1\ndevice mm0\nschedule: DEV.fill:A\n", 3, "DEV.ats:A IOMMU.walk:A DEV.complete:A")]
    [InlineData("scenario 1\ndevice mm0\nschedule: IOMMU\n", 3, "the IOMMU has no program")]
    [InlineData("scenario 1\ndevice mm0\nschedule: IOMMU.cmd:0\n", 3, "bad IOMMU command position")]
    [InlineData("scenario 1\ndevice mm0\nschedule: CPU0.walk:A\n", 3, "bad hardware action 'CPU0.walk:A'")]
    [InlineData("scenario 1\nschedule: IOMMU.walk:A\n", 2, "unknown agent 'IOMMU'")]
    [InlineData("scenario 1\nksmd: swap_out mm0 A\n", 2, "cannot run on ksmd")]
    [InlineData("scenario 1\nkswapd: swap_out A\n", 2, "swap_out takes 2 argument")]
    [InlineData("scenario 1\nexpect violation nonsense\n", 2, "oracles: linearizability")]
    [InlineData("scenario 1\ncpu 0 mm0: fork\ncpu 1 mm0: fork\n", 3, "at most one fork")]
    [InlineData("scenario 1\nwobble\n", 2, "unknown directive 'wobble'")]
    [InlineData("scenario 1\npage mm0 A 5 old ro\n", 2, "expected rw or ro, then optionally old")]
    [InlineData("scenario 1\npage mm0 A 5 rw young\n", 2, "expected rw or ro, then optionally old")]
    [InlineData("scenario 1\nkswapd: swap_out mm0 A\ndisk: swap_out mm0 A\n", 3, "the swap device (disk) has no program")]
    [InlineData("scenario 1\nschedule: disk\n", 2, "unknown agent 'disk'")]
    [InlineData("scenario 1\nkswapd: swap_out mm0 A\nschedule: disk.fill:A\n", 3, "bad hardware action")]
    public void Errors_name_the_file_and_line(string text, int line, string message)
    {
        var e = Assert.Throws<FileFormatException>(() => ScenarioParser.Parse(text, "bad.scenario"));
        Assert.Equal("bad.scenario", e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
        Assert.StartsWith($"bad.scenario:{line}: ", e.Message);
    }
}
