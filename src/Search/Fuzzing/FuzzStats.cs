using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Fuzzing;

/// <summary>
/// What a fuzz run exercised: operations completed by kind, checks made by each oracle, how often
/// each pair of operation kinds overlapped in time on different agents (race coverage), and how
/// often each step ran. Lets a user see whether the generator reaches the interleavings that matter.
/// </summary>
public sealed class FuzzStats
{
    private static readonly int Kinds = Enum.GetValues<OpKind>().Length;

    public long Scenarios { get; private set; }
    public long Ticks { get; private set; }
    public long[] OpsCompleted { get; } = new long[Kinds];
    public long[] OracleChecks { get; } = new long[Enum.GetValues<OracleId>().Length];
    public long[] Violations { get; } = new long[Enum.GetValues<OracleId>().Length];
    /// <summary>[a * kinds + b] with a &lt;= b: runs in which an a and a b overlapped.</summary>
    public long[] Overlaps { get; } = new long[Kinds * Kinds];
    public long[] StepHits { get; } = new long[StepCatalog.Count];

    /// <summary>Fold in one finished run.</summary>
    public void Add(Simulator sim)
    {
        Scenarios++;
        Ticks += sim.Tick;
        for (int i = 0; i < OracleChecks.Length; i++) OracleChecks[i] += sim.OracleChecks[i];
        for (int i = 0; i < StepHits.Length; i++) StepHits[i] += sim.StepHits[i];
        for (int i = 0; i < sim.Violations.Count; i++) Violations[(int)sim.Violations[i].Oracle]++;
        Operation[] ops = sim.Ops;
        for (int i = 0; i < ops.Length; i++)
        {
            if (sim.OpReturn[i] != int.MaxValue) OpsCompleted[(int)ops[i].Kind]++;
        }
        Span<bool> seen = stackalloc bool[Kinds * Kinds];
        for (int i = 0; i < ops.Length; i++)
        {
            if (sim.OpCall[i] < 0) continue;
            for (int j = i + 1; j < ops.Length; j++)
            {
                if (sim.OpCall[j] < 0 || sim.OpAgent[i] == sim.OpAgent[j]) continue;
                if (sim.OpCall[i] > sim.OpReturn[j] || sim.OpCall[j] > sim.OpReturn[i]) continue;
                int a = (int)ops[i].Kind, b = (int)ops[j].Kind;
                seen[Math.Min(a, b) * Kinds + Math.Max(a, b)] = true;
            }
        }
        for (int k = 0; k < seen.Length; k++)
        {
            if (seen[k]) Overlaps[k]++;
        }
    }

    public void Add(FuzzStats other)
    {
        Scenarios += other.Scenarios;
        Ticks += other.Ticks;
        Sum(OpsCompleted, other.OpsCompleted);
        Sum(OracleChecks, other.OracleChecks);
        Sum(Violations, other.Violations);
        Sum(Overlaps, other.Overlaps);
        Sum(StepHits, other.StepHits);
    }

    /// <summary>Set every count (a campaign checkpoint read back).</summary>
    public void Restore(long scenarios, long ticks, long[] ops, long[] oracleChecks, long[] violations, long[] overlaps, long[] stepHits)
    {
        Scenarios = scenarios;
        Ticks = ticks;
        ops.CopyTo(OpsCompleted, 0);
        oracleChecks.CopyTo(OracleChecks, 0);
        violations.CopyTo(Violations, 0);
        overlaps.CopyTo(Overlaps, 0);
        stepHits.CopyTo(StepHits, 0);
    }

    /// <summary>A copy, for a checkpoint written while the worker goes on.</summary>
    public FuzzStats Clone()
    {
        var c = new FuzzStats();
        c.Add(this);
        return c;
    }

    /// <summary>How many of the pairs of operation kinds have overlapped at least once.</summary>
    public int RacePairsSeen => RacePairs().Count();

    /// <summary>Pairs of operation kinds that generated scenarios can overlap (see <see cref="RaceReach"/>).</summary>
    public static readonly int RacePairsPossible = CountPossiblePairs();

    private static int CountPossiblePairs()
    {
        int n = 0;
        for (int a = 0; a < Kinds; a++)
            for (int b = a; b < Kinds; b++)
                if (RaceReach.Reachable((OpKind)a, (OpKind)b)) n++;
        return n;
    }

    private static void Sum(long[] into, long[] from)
    {
        for (int i = 0; i < into.Length; i++) into[i] += from[i];
    }

    /// <summary>Pairs of operation kinds and how many runs saw them overlap, most frequent first.</summary>
    public IEnumerable<(OpKind A, OpKind B, long Runs)> RacePairs()
    {
        for (int a = 0; a < Kinds; a++)
        {
            for (int b = a; b < Kinds; b++)
            {
                long n = Overlaps[a * Kinds + b];
                if (n > 0) yield return ((OpKind)a, (OpKind)b, n);
            }
        }
    }

    /// <summary>The report 'fuzz run --stats' prints.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"scenarios {Scenarios:N0}, simulated steps {Ticks:N0}";
        yield return "operations completed: " + string.Join(", ",
            Enum.GetValues<OpKind>().Where(k => OpsCompleted[(int)k] > 0).Select(k => $"{OpKinds.Name(k)} {OpsCompleted[(int)k]:N0}"));
        yield return "oracle checks: " + string.Join(", ",
            Enum.GetValues<OracleId>().Select(o => $"{OracleNames.Name(o)} {OracleChecks[(int)o]:N0}"));
        yield return "race coverage (runs in which two agents' operations overlapped):";
        foreach (var (a, b, n) in RacePairs().OrderByDescending(p => p.Runs))
            yield return $"  {OpKinds.Name(a),-17} x {OpKinds.Name(b),-17} {n,12:N0}  ({100.0 * n / Math.Max(1, Scenarios):F1}%)";
        var unraced = new List<string>();
        for (int a = 0; a < Kinds; a++)
            for (int b = a; b < Kinds; b++)
                if (Overlaps[a * Kinds + b] == 0 && RaceReach.Reachable((OpKind)a, (OpKind)b))
                    unraced.Add($"{OpKinds.Name((OpKind)a)} x {OpKinds.Name((OpKind)b)}");
        yield return $"  {RacePairsSeen} of the {RacePairsPossible} pairs the generator can overlap did"
            + (unraced.Count == 0 ? "" : "; never: " + string.Join(", ", unraced));
        var never = Enum.GetValues<StepId>().Where(id => StepHits[(int)id] == 0).Select(StepCatalog.Name).ToArray();
        yield return never.Length == 0 ? "every step ran" : "steps never run: " + string.Join(", ", never);
    }
}
