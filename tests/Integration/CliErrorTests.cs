using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Integration;

/// <summary>
/// Each input that used to crash the program with a stack trace (exit 134), or that it silently
/// misread, now gets one clear line naming the file and line (or the argument) and exit 2; and
/// 'fuzz COMMAND --help' prints the command's usage.
/// </summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-cli");

    public CliErrorTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Exit 2 and exactly one line on stderr that holds <paramref name="message"/>; no stack trace.</summary>
    private static void Refused(string message, params string[] args)
    {
        var (exit, _, err) = FuzzProcess.Run(args);
        string[] lines = err.Trim().Split('\n');
        Assert.True(exit == 2, $"exit {exit}: {err}");
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("Unhandled exception", err);
        Assert.Contains(message, lines[0]);
        Assert.True(lines.Length == 1 || lines[1].StartsWith("run '", StringComparison.Ordinal), err);
    }

    private const string Scenario = "scenario 1\nexpect coherent\ncpus 2\npages 1\n";

    [Fact]
    public void Scenario_files_that_crashed_or_were_misread_are_refused_at_their_line()
    {
        Refused("ten.scenario:6: mm0 A already has a 'page' line (line 5)",
            "replay", Write("ten.scenario", Scenario + string.Concat(Enumerable.Repeat("page mm0 A 5\n", 10)) + "cpu 0 mm0: load A\n"));
        Refused("shared.scenario:5: mm1 A shares mm0 A, which no 'page mm0 A VALUE' or 'page mm0 A zero' line maps",
            "replay", Write("shared.scenario", Scenario + "page mm1 A shared mm0 A\ncpu 0 mm0: load A\n"));
        Refused("kernel.scenario:2: kernel 'nosuch' not found",
            "replay", Write("kernel.scenario", "scenario 1\nkernel nosuch\nexpect coherent\ncpu 0 mm0: load A\n"));
        Write("notes.txt", "just notes\n");
        Refused("other.scenario:2: kernel './notes.txt': ",
            "replay", Write("other.scenario", "scenario 1\nkernel ./notes.txt\nexpect coherent\ncpu 0 mm0: load A\n"));
        Refused("long.scenario:6: the schedule is longer than 4000 actions",
            "replay", Write("long.scenario", Scenario + "cpu 0 mm0: load A\nschedule: " + string.Join(' ', Enumerable.Repeat("CPU0*99", 6000)) + "\n"));
        Refused("is a directory, not a file", "replay", _dir);
    }

    [Fact]
    public void Arguments_that_crashed_or_were_misread_are_refused_naming_the_argument()
    {
        Refused("--scenarios takes a whole number from 1", "run", "--scenarios", "abc");
        Refused("--scenarios takes a whole number from 1", "run", "--scenarios", "99999999999999999999");
        Refused("--scenarios takes a whole number from 1", "run", "--scenarios", "-5");
        Refused("settings takes at most one settings file", "settings", "a.settings", "b.settings");
        Refused("is a directory, not a file", "run", "--settings", _dir, "--scenarios", "1");
        Refused("is a directory, not a file", "settings", _dir);
        Refused("--seed takes a hexadecimal seed", "run", "--seed", "xyz");
        Refused("unknown option --frobnicate", "steps", "--frobnicate");
        Refused("--hours takes a whole number from 1", "campaign", "--hours", "2147483647");
        Refused("--workers takes a whole number from 1 to 1,024", "campaign", "--workers", "2147483647");
        Refused("unknown command 'bogus'", "bogus");
        Refused("unknown option --" + new string('x', 38) + "...", "replay", "x", "--kernel", "k", "--" + new string('x', 100_000));
    }

    [Fact]
    public void Run_scenario_refuses_what_it_cannot_use_naming_the_file_line_or_option()
    {
        string good = Write("good.scenario", Scenario + "cpu 0 mm0: load A\n");
        Refused("--scenario FILE fuzzes that file's scenario and --scenario-seed names a generated one", "run", "--scenario", good, "--scenario-seed", "1");
        Refused("--scenario FILE fuzzes that file's scenario and --settings shapes generated ones", "run", "--scenario", good, "--settings", "settings/kernel-threads.settings");
        Refused("--schedule-seed S draws a schedule for the scenario of --scenario FILE", "run", "--schedule-seed", "1");
        Refused("--schedule-seed takes a hexadecimal seed", "run", "--scenario", good, "--schedule-seed", "xyz");
        Refused("bad.scenario:5: unknown operation", "run", "--scenario", Write("bad.scenario", Scenario + "cpu 0 mm0: frobnicate A\n"));
        Refused("nokernel.scenario:2: kernel 'nosuch' not found", "run", "--scenario", Write("nokernel.scenario", "scenario 1\nkernel nosuch\ncpu 0 mm0: load A\n"));
        Refused("kernel 'nosuch' not found", "run", "--scenario", good, "--kernel", "nosuch");
        Refused("is a directory, not a file", "run", "--scenario", _dir);
    }

    [Fact]
    public void A_settings_file_with_cr_only_line_ends_is_read_as_its_lines()
    {
        var (exit, output, _) = FuzzProcess.Run("settings", Write("mac.settings", "# mine\rMaxOps = 5\rDevicePercent = 90\r"));
        Assert.Equal(0, exit);
        Assert.Contains("MaxOps = 5", output);
        Assert.Contains("DevicePercent = 90", output);
    }

    [Fact]
    public void Campaign_files_that_crashed_report_merge_and_resume_are_refused_at_their_line()
    {
        string c = Path.Combine(_dir, "c");
        var (exit, _, err) = FuzzProcess.Run("campaign", "--scenarios", "20", "--workers", "1", "--seed", "1", "--dir", c);
        Assert.True(exit == 0, err);
        string manifest = Path.Combine(c, "campaign.txt");
        string good = File.ReadAllText(manifest);
        int Line(string key) => good.Split('\n').ToList().FindIndex(l => l.StartsWith(key, StringComparison.Ordinal)) + 1;

        File.WriteAllText(manifest, good + "budget-seconds -9223372036854775808\n");
        foreach (string[] args in new[] { new[] { "report", c }, new[] { "merge", Path.Combine(_dir, "m"), c }, new[] { "campaign", "--resume", c } })
            Refused($"campaign.txt:{good.Split('\n').Length}: 'budget-seconds' takes a whole number from 1 to", args);
        File.WriteAllText(manifest, good.Replace("workers 1", "workers 2147483647"));
        Refused($"campaign.txt:{Line("workers")}: 'workers' takes a whole number from 1 to 1024", "campaign", "--resume", c);
        File.WriteAllText(manifest, good + "budget-secnds 60\n");
        Refused($"campaign.txt:{good.Split('\n').Length}: unknown key 'budget-secnds'", "campaign", "--resume", c);
        File.WriteAllText(manifest, System.Text.RegularExpressions.Regex.Replace(good, "^kernel .*$", "kernel nosuch", System.Text.RegularExpressions.RegexOptions.Multiline));
        Refused($"campaign.txt:{Line("kernel")}: kernel 'nosuch' not found", "campaign", "--resume", c);
        File.WriteAllText(manifest, good);

        string timeline = Path.Combine(c, "timeline.txt");
        File.AppendAllText(timeline, "sample 99999999999999999999 1 1 1 1 1\n");
        foreach (string[] args in new[] { new[] { "report", c }, new[] { "merge", Path.Combine(_dir, "m"), c }, new[] { "campaign", "--resume", c } })
            Refused("timeline.txt:", args);
        Assert.False(Directory.Exists(Path.Combine(_dir, "m")), "a refused merge writes nothing");
    }

    [Fact]
    public void Merge_refusals_readme_documents_are_clear_errors_not_exceptions()
    {
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        Assert.Equal(0, FuzzProcess.Run("campaign", "--scenarios", "20", "--workers", "1", "--seed", "1", "--shard", "0/2", "--dir", a).Exit);
        Assert.Equal(0, FuzzProcess.Run("campaign", "--scenarios", "20", "--workers", "1", "--seed", "1", "--shard", "1/4", "--dir", b).Exit);
        Refused("two of the campaigns are the same shard", "merge", Path.Combine(_dir, "m"), a, a);
        Refused("shards of different splits", "merge", Path.Combine(_dir, "m"), a, b);
        Refused("was merged from other campaigns", "campaign", "--resume", MergeOf(a));
        Write("mine/report.html", "my report");
        Refused("was not created by fuzz", "campaign", "--seconds", "1", "--dir", Path.Combine(_dir, "mine"));
        Refused("was not created by fuzz", "merge", Path.Combine(_dir, "mine"), a);
        Assert.Equal("my report", File.ReadAllText(Path.Combine(_dir, "mine", "report.html")));
    }

    private string MergeOf(string a)
    {
        string m = Path.Combine(_dir, "merged");
        Assert.Equal(0, FuzzProcess.Run("merge", m, a).Exit);
        return m;
    }

    [Theory]
    [InlineData("run")]
    [InlineData("replay")]
    [InlineData("promote")]
    [InlineData("audit")]
    [InlineData("campaign")]
    [InlineData("merge")]
    [InlineData("report")]
    [InlineData("recipes")]
    [InlineData("steps")]
    [InlineData("settings")]
    public void Every_command_prints_its_usage_for_help(string command)
    {
        var (exit, output, err) = FuzzProcess.Run(command, "--help");
        Assert.True(exit == 0, err);
        Assert.StartsWith($"usage: fuzz {command}", output);
        Assert.Equal(0, FuzzProcess.Run("help", command).Exit);
    }
}
