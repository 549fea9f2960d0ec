using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Properties;

/// <summary>
/// For each shipped buggy variant, generation finds the expected violation within a fixed budget,
/// and the shrunk scenario holds nothing the race does not need.
/// </summary>
public class VariantProperties
{
    private const long Budget = 200_000;

    private static Finding Find(string kernel, OracleId oracle, ulong seed)
    {
        FuzzRunner runner = Harness.Fuzz(kernel, Budget, seed, oracle: oracle);
        Assert.True(runner.Findings.Count == 1, $"{kernel}: no {OracleNames.Name(oracle)} violation in {Budget:N0} scenarios (seed {seed})");
        return runner.Findings[0];
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Seed_b_shrinks_to_the_threads_table(ulong seed)
    {
        Finding f = Find("seed-b", OracleId.Linearizability, seed);
        Scenario s = f.Shrunk;
        // The device's translation and read, CPU0's CoW fault, CPU1's store: nothing else.
        Assert.Equal(3, s.OperationCount);
        Assert.Equal(2, s.Cpus);
        Assert.Equal([OpKind.DmaRead], s.DeviceProgram()!.Ops.Select(o => o.Kind));
        Assert.Equal([OpKind.Store], s.CpuProgram(0)!.Ops.Select(o => o.Kind));
        Assert.Equal([OpKind.Store], s.CpuProgram(1)!.Ops.Select(o => o.Kind));
        Assert.All(s.Programs.SelectMany(p => p.Ops), op => Assert.Equal(0, op.Va));
        // The device's translation of A is cached before the CoW, as the IOMMU walk in the thread.
        Assert.Contains(s.Schedule, a => a.Kind == ActionKind.Fill && a.Agent == s.Cpus);
        // Shrunk scenarios are canonical: every seed gives the same one.
        Assert.Equal(Canonical(Find("seed-b", OracleId.Linearizability, 1UL)), Canonical(f));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Seed_a_shrinks_to_two_madvise_and_the_load_that_observes_the_stale_entry(ulong seed)
    {
        Finding f = Find("seed-a", OracleId.Linearizability, seed);
        Scenario s = f.Shrunk;
        var kinds = s.Programs.SelectMany(p => p.Ops).Select(o => o.Kind).ToArray();
        Assert.Equal(2, kinds.Count(k => k == OpKind.MadviseDontneed));
        Assert.Equal(kinds.Length - 2, kinds.Count(k => k == OpKind.Load));
        Assert.InRange(kinds.Count(k => k == OpKind.Load), 1, 2);
        Assert.Equal(2, s.Cpus);
        Assert.False(s.HasDevice);
        Assert.Equal(2, s.Programs.Count(p => p.Ops.Any(o => o.Kind == OpKind.MadviseDontneed)));
        // A load comes after its own CPU's MADV_DONTNEED in program order (it observes after return).
        Assert.Contains(s.Programs, p => p.Ops.Select(o => o.Kind).SkipWhile(k => k != OpKind.MadviseDontneed).Contains(OpKind.Load));
    }

    private static string Canonical(Finding f) => Fuzz.Formats.Scenarios.ScenarioHash.Body(f.Shrunk);
}
