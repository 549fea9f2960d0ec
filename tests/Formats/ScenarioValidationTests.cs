using System.Diagnostics;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Replay;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Simulation;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Formats;

/// <summary>
/// Every input the model cannot run is refused by the parser at its line, so that replaying a file
/// the parser accepted never crashes the simulator: initial-state rules, the model's limits, the
/// schedule's length, single directives given twice, kernels that cannot be loaded.
/// </summary>
public sealed class ScenarioValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-scenario-validation");

    public void Dispose() => _dir.Dispose();

    private static FileFormatException Error(string body) =>
        Assert.Throws<FileFormatException>(() => ScenarioParser.Parse("scenario 1\n" + body, "bad.scenario"));

    [Fact]
    public void A_page_line_repeated_is_an_error_naming_both_lines()
    {
        // Ten times used to index past the frames (IndexOutOfRangeException); twice, to replay a
        // false accounting and linearizability violation on the fixed kernel.
        string twice = "cpus 2\npages 1\npage mm0 A 5\npage mm0 A 5\ncpu 0 mm0: load A\n";
        var e = Error(twice);
        Assert.Equal(5, e.Line);
        Assert.Contains("mm0 A already has a 'page' line (line 4)", e.Message);
        Assert.Equal(4, Error("pages 1\n" + string.Concat(Enumerable.Repeat("page mm0 A 7\n", 10))).Line);
    }

    [Theory]
    [InlineData("pages 2\npage mm1 A shared mm0 A\n", 3, "which no 'page mm0 A VALUE' or 'page mm0 A zero' line maps")]
    [InlineData("pages 2\npage mm0 A swapped 3\npage mm1 A shared mm0 A\n", 4, "does not map to a frame")]
    [InlineData("pages 2\npage mm0 A 1\npage mm1 A shared mm0 A\npage mm1 B shared mm1 A\n", 5, "does not map to a frame")]
    public void A_shared_page_needs_a_mapped_source(string body, int line, string message)
    {
        var e = Error(body);
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Many_swapped_pages_fit_the_swap_slots_and_the_initial_state_builds()
    {
        // Every page of both mms swapped: 16 slots, the model's swap space, all used, none short.
        string pages = string.Concat(Enumerable.Range(0, 8).SelectMany(va => new[] { $"page mm0 {(char)('A' + va)} swapped {va + 1}\n", $"page mm1 {(char)('A' + va)} swapped {va + 9}\n" }));
        var s = ScenarioParser.Parse("scenario 1\ncpus 1\npages 8\n" + pages + "cpu 0 mm0: load A\n", "x.scenario");
        Assert.True(Replayer.Run(s, TestKit.Fixed).Coherent);
    }

    [Theory]
    [InlineData("cpus 2\ncpus 3\n", 3, "a second 'cpus' line (the first is line 2)")]
    [InlineData("kernel v4.14\nkernel seed-b\n", 3, "a second 'kernel' line")]
    [InlineData("schedule: CPU0\nschedule: CPU1\n", 3, "a second 'schedule:' line")]
    [InlineData("expect coherent under seed-b\nexpect violation linearizability under seed-b\n", 3, "a second 'expect ... under seed-b' line")]
    public void A_directive_that_says_one_thing_may_not_say_it_twice(string body, int line, string message)
    {
        var e = Error(body);
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_program_longer_than_the_models_history_holds_is_refused()
    {
        string ops = string.Join("; ", Enumerable.Repeat("load A", ScenarioLimits.MaxOpsPerAgent + 1));
        Assert.Contains($"more than {ScenarioLimits.MaxOpsPerAgent} operations", Error($"cpu 0 mm0: {ops}\n").Message);
        string zaps = string.Join("\n", Enumerable.Range(0, 3).Select(c => $"cpu {c} mm0: madvise_dontneed A; madvise_dontneed A; madvise_dontneed A"));
        Assert.Contains("more than 8 madvise_dontneed cover page A", Error("cpus 3\n" + zaps + "\n").Message);
    }

    [Fact]
    public void A_60_KB_schedule_line_is_refused_at_once()
    {
        // It used to expand to millions of actions: 19 s and 3 GB to replay.
        string line = "schedule: " + string.Join(' ', Enumerable.Repeat("CPU0*99999", 6000));
        Assert.True(line.Length > 60_000);
        var clock = Stopwatch.StartNew();
        var e = Error("cpu 0 mm0: load A\n" + line + "\n");
        Assert.Contains("longer than 4000 actions", e.Message);
        Assert.Contains("bad repeat count in 'CPU0*99999': *N takes N from 1 to 4000", Error("cpu 0 mm0: load A\nschedule: CPU0*99999\n").Message);
        var e2 = Error("cpu 0 mm0: load A\nschedule: " + string.Join(' ', Enumerable.Repeat("CPU0 CPU1", 6000)) + "\n");
        Assert.Contains("longer than 4000 actions", e2.Message);
        var e3 = Error("cpu 0 mm0: load A\nschedule: CPU0*3000 CPU1*1001\n");
        Assert.Contains("longer than 4000 actions", e3.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "a schedule refused by its length is refused before it is expanded");
    }

    [Fact]
    public void An_echoed_token_is_shortened()
    {
        string huge = new('x', 1_000_000);
        foreach (string body in new[] { $"{huge}\n", $"cpu 0 mm0: {huge} A\n", $"schedule: {huge}\n", $"cpu 0 mm0: store A {huge}\n" })
        {
            var e = Error(body);
            Assert.Contains(new string('x', Token.MaxShown) + "...", e.Message);
            Assert.True(e.Message.Length < 400, Token.Show(e.Message, 200));
        }
    }

    [Fact]
    public void A_cr_only_file_reads_as_its_lines()
    {
        var s = ScenarioParser.Parse("# title\rscenario 1\rcpus 3\rpages 1\rcpu 0 mm0: load A\r", "mac.scenario");
        Assert.Equal(3, s.Cpus);
        string empty = string.Concat(Enumerable.Repeat("# comment\r", 40));
        Assert.Equal("empty file: expected 'scenario 1'", Assert.Throws<FileFormatException>(() => ScenarioParser.Parse(empty, "c.scenario")).Reason);
        Assert.Contains("the first line must be 'scenario 1'", Assert.Throws<FileFormatException>(() => ScenarioParser.Parse(empty + "cpus 2\r", "c.scenario")).Message);
    }

    [Fact]
    public void A_kernel_that_cannot_be_loaded_is_reported_at_the_scenario_line_naming_it()
    {
        string readme = Path.Combine(_dir, "notes.txt");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(readme, "# my notes\nnothing to see\n");
        foreach (var (kernel, inner) in new[] { ("no-such-kernel", "kernel 'no-such-kernel' not found"), ("./notes.txt", "notes.txt:2: the first line must be 'kernel 1'") })
        {
            string file = Path.Combine(_dir, "s.scenario");
            File.WriteAllText(file, $"scenario 1\nexpect coherent\nkernel {kernel}\ncpu 0 mm0: load A\n");
            var e = Assert.Throws<FileFormatException>(() => ExpectationCheck.All(ScenarioFile.Load(file)));
            Assert.Equal(file, e.File);
            Assert.Equal(3, e.Line);
            Assert.Contains(inner, e.Message);
        }
        File.WriteAllText(Path.Combine(_dir, "u.scenario"), "scenario 1\nexpect coherent\nexpect coherent under missing-one\ncpu 0 mm0: load A\n");
        Assert.Equal(3, Assert.Throws<FileFormatException>(() => ExpectationCheck.All(ScenarioFile.Load(Path.Combine(_dir, "u.scenario")))).Line);
    }

    [Fact]
    public void A_directory_or_a_missing_file_is_a_clear_input_error()
    {
        Directory.CreateDirectory(_dir);
        Assert.Contains("is a directory, not a file", Assert.Throws<InputException>(() => ScenarioParser.Load(_dir)).Message);
        Assert.Contains("no such file", Assert.Throws<InputException>(() => ScenarioParser.Load(Path.Combine(_dir, "none.scenario"))).Message);
        Assert.Contains("is a directory, not a file", Assert.Throws<InputException>(() => KernelFile.Load(_dir)).Message);
    }
}
