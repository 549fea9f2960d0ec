using System.Diagnostics;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Reporting.C;
using Fuzz.Search.Shrinking;
using Fuzz.Tests.Shared;
using Xunit.Abstractions;

namespace Fuzz.Tests.Integration;

/// <summary>
/// The C reproducers of the CPU-only seed scenarios compile with the system C compiler and run
/// clean on this machine's kernel (a fixed one): 0 violations and exit 0, or exit 77 naming the
/// resource the machine lacks. Without a C compiler the test says so and checks nothing more.
/// </summary>
public sealed class CReproducerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-c");

    public void Dispose() => _dir.Dispose();

    private static string RepoRoot => KernelLoader.RepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Fuzz.sln not found");

    private static KernelDefinition Kernel(string name) => KernelLoader.Load(name, Path.Combine(RepoRoot, "kernels"));

    // Written here until tests/Regressions has CPU-only files of them (which are then used instead).
    private const string SeedA = """
        kernel seed-a
        cpus 2
        pages 1
        page mm0 A 5 rw
        cpu 0 mm0: madvise_dontneed A
        cpu 1 mm0: load A; madvise_dontneed A; load A
        """;

    /// <summary>v4.14's mapcount reuse, seen by a CPU: CPU0's stale TLB entry reads what mm1's reused page now holds.</summary>
    private const string MapcountReuse = """
        kernel v4.14
        cpus 3
        pages 1
        page mm0 A 1 rw
        page mm1 A shared mm0 A
        cpu 0 mm0: load A; load A
        cpu 1 mm0: madvise_dontneed A
        cpu 2 mm1: store A 2
        """;

    /// <summary>A shipped CPU-only regression scenario matching the pattern, or the one written here.</summary>
    private static (string Name, Scenario Scenario, OracleId Oracle) Shipped(string pattern, string fallback, string name, OracleId oracle)
    {
        string? file = Directory.EnumerateFiles(Path.Combine(RepoRoot, "tests", "Regressions"), pattern).Order(StringComparer.Ordinal)
            .FirstOrDefault(f => ScenarioParser.Load(f) is { HasDevice: false });
        if (file is null) return (name, TestKit.Scenario(fallback), oracle);
        Scenario s = ScenarioParser.Load(file);
        return (Path.GetFileName(file), s, s.Expect is { Coherent: false } e ? e.Oracle : oracle);
    }

    [Fact]
    public void The_scenarios_written_here_are_counterexamples_in_the_model()
    {
        Assert.NotNull(ScheduleSearch.Find(TestKit.Scenario(SeedA), Kernel("seed-a"), OracleId.Linearizability, 300));
        Assert.NotNull(ScheduleSearch.Find(TestKit.Scenario(MapcountReuse), KernelDefinition.V414, OracleId.Isolation, 300));
    }

    [Fact]
    public void What_user_space_checks_is_what_every_interleaving_allows()
    {
        Scenario a = TestKit.Scenario(SeedA);
        var driven = a.Programs.ToList();
        IReadOnlyList<UserSpaceChecks.Check> loads = UserSpaceChecks.Loads(a, driven);
        // Before its own MADV_DONTNEED CPU1 may see 5 or CPU0's zap; after it, only 0.
        Assert.Equal([0L, 5L], loads[0].Legal);
        Assert.Equal([0L], loads[1].Legal);
        Assert.Equal([0L], UserSpaceChecks.Finals(a, driven).Single().Check.Legal);
        // Isolation: mm0's loads never may see what only mm1 writes.
        Scenario m = TestKit.Scenario(MapcountReuse);
        IReadOnlyList<UserSpaceChecks.Check> mLoads = UserSpaceChecks.Loads(m, m.Programs.ToList());
        Assert.All(mLoads, c => Assert.DoesNotContain(2L, c.Legal));
        Assert.Equal([2L], UserSpaceChecks.Finals(m, m.Programs.ToList()).Single(f => f.Mm == 1).Check.Legal);
    }

    [Fact]
    public void A_counterexample_of_the_device_alone_cannot_be_exported()
    {
        Scenario s = TestKit.Scenario("cpus 1\npages 1\ndevice mm0\npage mm0 A 1 rw\ndevice: dma_read A\n");
        var e = Assert.Throws<ExportException>(() => CReproducer.Write(s, "x.scenario", "v4.14", null));
        Assert.Contains("nothing to drive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exported_programs_of_the_cpu_only_seed_scenarios_compile_and_run_clean_on_this_kernel()
    {
        string? cc = Which("cc");
        if (cc is null)
        {
            output.WriteLine("SKIPPED: no C compiler (cc) on PATH; the exported programs were not compiled");
            return;
        }
        var cases = new List<(string Name, Scenario Scenario, OracleId Oracle)>
        {
            Shipped("seed-a*.scenario", SeedA, "seed-a (written in the test)", OracleId.Linearizability),
            Shipped("v4.14-mapcount-reuse*.scenario", MapcountReuse, "v4.14 mapcount reuse (written in the test)", OracleId.Isolation),
        };
        // The swap-in window: reclaim needs swap, which the program sets up as root (or names what it lacks).
        string swapin = Directory.EnumerateFiles(Path.Combine(RepoRoot, "tests", "Regressions"), "*swapin-no-batched-flush-*.scenario").Order(StringComparer.Ordinal).First();
        cases.Add((Path.GetFileName(swapin), ScenarioParser.Load(swapin), OracleId.Linearizability));
        Directory.CreateDirectory(_dir);
        foreach (var (name, scenario, oracle) in cases)
        {
            string c = Path.Combine(_dir, $"case{cases.FindIndex(x => x.Name == name)}.c");
            File.WriteAllText(c, CReproducer.Write(scenario, name, scenario.Kernel, oracle));
            string exe = Path.ChangeExtension(c, null);
            var (ccExit, ccOut) = Execute(cc, _dir, TimeSpan.FromSeconds(60), "-O2", "-pthread", "-Wall", "-o", exe, c);
            Assert.True(ccExit == 0 && !ccOut.Contains("warning", StringComparison.Ordinal), $"{name}: cc -O2 -pthread failed or warned:\n{ccOut}");
            var (exit, text) = Execute(exe, _dir, TimeSpan.FromSeconds(60), "-n", "300", "-s", "4");
            output.WriteLine($"--- {name}: exit {exit}\n{text}");
            if (exit == 77)
            {
                Assert.Matches(@"SKIPPED: (too few CPUs|no swap|not root|no KSM|one NUMA node|no O_DIRECT|no MADV_PAGEOUT)", text);
                continue;
            }
            Assert.True(exit == 0, $"{name}: exit {exit} on this (fixed) kernel:\n{text}");
            Assert.Matches(@"ran [1-9][0-9]* iterations in .* observed the violation in 0 of", text);
        }
        Assert.DoesNotContain("mmfuzz-repro", string.Join(" ", Directory.EnumerateFiles(_dir).Select(Path.GetFileName)));
    }

    [Fact]
    public void Fuzz_export_writes_the_program_and_never_overwrites_a_file_it_did_not_write()
    {
        Directory.CreateDirectory(_dir);
        string scenario = Path.Combine(RepoRoot, "tests", "Regressions", "seed-b-cow-deferred-invalidate.scenario");
        string c = Path.Combine(_dir, "seed-b.c");
        string dll = Path.Combine(RepoRoot, "src", "Fuzz", "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name, "net10.0", "fuzz.dll");
        var (exit, text) = Execute("dotnet", RepoRoot, TimeSpan.FromSeconds(120), dll, "export", scenario, "--c", "--out", c);
        Assert.True(exit == 0, text);
        string program = File.ReadAllText(c);
        Assert.StartsWith(CReproducer.Signature, program, StringComparison.Ordinal);
        // The device's steps are named as not driven; the CPUs' stores are.
        Assert.Contains("not driven: DEV: dma_read A", program, StringComparison.Ordinal);
        Assert.Contains("drives CPU1 (mm0, CPU 1): store A 2", program, StringComparison.Ordinal);
        Assert.Equal(0, Execute("dotnet", RepoRoot, TimeSpan.FromSeconds(120), dll, "export", scenario, "--c", "--out", c).Exit);
        string foreign = Path.Combine(_dir, "mine.c");
        File.WriteAllText(foreign, "int main(void) { return 0; }\n");
        (exit, text) = Execute("dotnet", RepoRoot, TimeSpan.FromSeconds(120), dll, "export", scenario, "--c", "--out", foreign);
        Assert.Equal(2, exit);
        Assert.Contains("not written by 'fuzz export'", text, StringComparison.Ordinal);
        Assert.Equal("int main(void) { return 0; }\n", File.ReadAllText(foreign));
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static (int Exit, string Output) Execute(string program, string dir, TimeSpan limit, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["MMFUZZ_DIR"] = dir;
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in {limit.TotalSeconds} s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
