using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Reporting.Text;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Properties;

/// <summary>
/// The thread's claims (c) and (d), answered by fuzzing the variants in kernels/. Scenarios are aimed
/// at the recipes the claims are about: reclaim (c) or KSM and copy-on-write (d), with the device on.
/// </summary>
public class ClaimProperties
{
    /// <summary>Reclaim with the device: every scenario has kswapd and a device bound to mm0.</summary>
    private static readonly GeneratorSettings Reclaim = GeneratorSettings.Default with
    {
        DevicePercent = 100,
        KswapdPercent = 100,
        KcompactdPercent = 0,
        PageSwappedWeight = 20,
    };

    [Fact]
    public void Seed_c_moving_the_secondary_flush_out_of_the_lock_stays_coherent()
    {
        FuzzRunner r = Harness.Fuzz("seed-c-invalidate-after-unlock", 100_000, seed: 0xc, Reclaim);
        Assert.True(r.Findings.Count == 0, r.Findings.Count == 0 ? "" : Describe(r.Findings[0], "seed-c-invalidate-after-unlock"));
        // Not vacuous: reclaim really unmapped pages the device had cached.
        Assert.True(r.Stats.OpsCompleted[(int)OpKind.SwapOut] > 50_000);
        Assert.True(r.Stats.Overlaps[Pair(OpKind.SwapOut, OpKind.DmaRead)] + r.Stats.Overlaps[Pair(OpKind.SwapOut, OpKind.DmaWrite)] > 10_000);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void Seed_c_freeing_the_page_before_the_secondary_flush_is_caught(ulong seed)
    {
        FuzzRunner r = Harness.Fuzz("seed-c-free-before-invalidate", 200_000, seed, Reclaim);
        Assert.True(r.Findings.Count == 1, "seed-c-free-before-invalidate: nothing found in 200,000 scenarios");
        Finding f = r.Findings[0];
        Scenario s = f.Shrunk;
        // The device, and reclaim of the page it caches: nothing else is needed.
        Assert.True(s.HasDevice, Describe(f, "seed-c-free-before-invalidate"));
        Assert.Contains(s.Programs, p => p.Ops.Any(o => o.Kind == OpKind.SwapOut));
        Assert.True(s.OperationCount <= 3, Describe(f, "seed-c-free-before-invalidate"));
        // The same scenario is coherent on the fixed kernel: the order, not the scenario, is the bug.
        Assert.True(Replayer.Run(s with { Kernel = KernelDefinition.FixedName }, Harness.Fixed).Coherent);
    }

    /// <summary>Two or three CPUs zapping and touching one or two pages: where the nested-flush race lives.</summary>
    private static readonly GeneratorSettings Zaps = GeneratorSettings.Default with
    {
        MadviseWeight = 45,
        LoadWeight = 35,
        StoreWeight = 20,
        OdirectWeight = 0,
        KsmdPercent = 0,
        KswapdPercent = 0,
        KcompactdPercent = 0,
        ForkPercent = 0,
    };

    /// <summary>
    /// Seed (a) and the thread's (and Nick Piggin's) claim that v4.14's two protections overlap:
    /// tlb_finish_mmu()'s mm_tlb_flush_nested() and zap_page_range()'s flush_tlb_range(). Either
    /// alone keeps two concurrent MADV_DONTNEED coherent; without both, seed (a) is found.
    /// Pinned seed 0xa: deterministic, the same verdicts on every machine.
    /// </summary>
    [Theory]
    [InlineData("remove tlb_finish_mmu mm_tlb_flush_nested")]
    [InlineData("remove zap_page_range flush_tlb_range")]
    public void Seed_a_either_protection_alone_keeps_concurrent_madvise_coherent(string edit)
    {
        KernelDefinition k = Fuzz.Formats.Kernels.KernelFile.Parse(
            $"kernel 1\nname seed-a-half\nbase v4.14-fixed\n{edit}\n", Path.Combine(Harness.RepoRoot, "kernels", "seed-a-half.kernel"));
        var runner = new FuzzRunner(new FuzzOptions { Kernel = k, KernelRef = "seed-a-half", Settings = Zaps, Seed = 0xa, MaxScenarios = 60_000 });
        runner.Run();
        Assert.True(runner.Findings.Count == 0, runner.Findings.Count == 0 ? "" :
            $"{edit}: {OracleNames.Name(runner.Findings[0].Oracle)}\n{Fuzz.Formats.Scenarios.ScenarioWriter.Write(runner.Findings[0].Shrunk)}");
        // Not vacuous: the same space finds seed (a) once both are gone.
        FuzzRunner both = Harness.Fuzz("seed-a", 60_000, seed: 0xa, Zaps);
        Assert.True(both.Findings.Count == 1, "seed-a: not found in 60,000 scenarios of the same space");
    }

    /// <summary>KSM merges and copy-on-write with the device: where set_pte_at_notify() runs.</summary>
    private static readonly GeneratorSettings Notify = GeneratorSettings.Default with
    {
        DevicePercent = 100,
        KsmdPercent = 70,
        DuplicateValuePercent = 50,
        SecondProcessPercent = 50,
        StoreWeight = 60,
    };

    /// <summary>
    /// Seed (d): over intel-svm (whose ->change_pte flushes the device TLB), removing every
    /// change_pte notification changes no verdict: each generated scenario gets the same verdict
    /// under both kernels.
    /// </summary>
    [Fact]
    public void Seed_d_dropping_change_pte_changes_no_verdict()
    {
        KernelDefinition withChangePte = Harness.Kernel("intel-svm");
        KernelDefinition withoutChangePte = Harness.Kernel("seed-d-no-change-pte");
        int changePteRuns = 0, compared = 0;
        for (ulong i = 0; i < 40_000; i++)
        {
            ulong seed = Seeds.Derive(0xd, i);
            Scenario s = ScenarioGenerator.Generate(new PcgChoices(seed), Notify, "intel-svm");
            ReplayResult a, b;
            try
            {
                a = Replayer.Run(s, withChangePte);
                b = Replayer.Run(s with { Kernel = "seed-d-no-change-pte" }, withoutChangePte);
            }
            catch (ModelLimitException)
            {
                continue;
            }
            compared++;
            if (a.Sim.StepHits[(int)StepId.mmu_notifier_change_pte] > 0) changePteRuns++;
            if (Verdict(a) != Verdict(b))
            {
                // The scenario comes from this test's own settings (Notify), which no file holds, so a
                // 'run --scenario-seed' line would regenerate another one: keep the scenario itself.
                string file = Path.Combine(Path.GetTempPath(), $"seed-d-{Seeds.Format(seed)}.scenario");
                File.WriteAllText(file, Fuzz.Formats.Scenarios.ScenarioWriter.Write(s));
                Assert.Fail($"scenario seed {Seeds.Format(seed)}: intel-svm says {Verdict(a)}, seed-d-no-change-pte says {Verdict(b)}\n" +
                    $"replay: dotnet run --project src/Fuzz -c Release -- replay {file} --kernel seed-d-no-change-pte\n" +
                    $"replay: dotnet run --project src/Fuzz -c Release -- replay {file} --kernel intel-svm");
            }
        }
        // Not vacuous: change_pte really ran (with the device bound) in many of the compared runs.
        Assert.True(changePteRuns > 5_000, $"change_pte ran in only {changePteRuns} of {compared} scenarios");
    }

    private static string Verdict(ReplayResult r) =>
        r.Coherent ? "coherent" : string.Join(",", Enumerable.Range(0, r.Sim.Violations.Count).Select(i => OracleNames.Name(r.Sim.Violations[i].Oracle)).Distinct());

    private static int Pair(OpKind a, OpKind b)
    {
        int kinds = Enum.GetValues<OpKind>().Length;
        return Math.Min((int)a, (int)b) * kinds + Math.Max((int)a, (int)b);
    }

    private static string Describe(Finding f, string kernel)
    {
        ReplayResult r = Replayer.Run(f.Shrunk, Harness.Kernel(kernel));
        return string.Join("\n", TableRenderer.Render(r.Sim, showLocal: false));
    }
}
