using Fuzz.Model.Scenarios;
using Fuzz.Search.Fuzzing;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Search.Fuzzing;

public class RaceCoverageTests
{
    /// <summary>
    /// The generator's purpose is races: every pair of operation kinds it can overlap must overlap
    /// within a short run on the fixed kernel, and no pair that <see cref="RaceReach"/> calls
    /// unreachable ever does (else the coverage figure would hide a gap or claim a false one).
    /// </summary>
    [Fact]
    public void A_short_run_overlaps_every_reachable_pair_and_no_other()
    {
        var runner = new FuzzRunner(new FuzzOptions { Kernel = TestKit.Fixed, KernelRef = "v4.14", Seed = 11, MaxScenarios = 40_000 });
        runner.Run();
        Assert.Empty(runner.Findings);
        int kinds = Enum.GetValues<OpKind>().Length;
        var missing = new List<string>();
        for (int a = 0; a < kinds; a++)
        {
            for (int b = a; b < kinds; b++)
            {
                long n = runner.Stats.Overlaps[a * kinds + b];
                string pair = $"{OpKinds.Name((OpKind)a)} x {OpKinds.Name((OpKind)b)}";
                if (RaceReach.Unreachable((OpKind)a, (OpKind)b) is { } why) Assert.True(n == 0, $"{pair} overlapped {n} times, but: {why}");
                else if (n == 0) missing.Add(pair);
            }
        }
        Assert.True(missing.Count == 0, "never overlapped: " + string.Join(", ", missing));
        Assert.Equal(FuzzStats.RacePairsPossible, runner.Stats.RacePairsSeen);
    }
}
