using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Reporting.Text;
using Fuzz.Search.Shrinking;

namespace Fuzz.Search.Fuzzing;

/// <summary>
/// What a counterexample's root cause is made of: its critical orderings against the kernel's
/// flushes and invalidations (a CPU TLB flush, a secondary-TLB invalidation, an IOMMU invalidation
/// command on either side), each named by the agent kinds, recipes and steps on its two sides (no
/// CPU numbers, pages or ticks, which the normaliser renames). Those say which invalidation came too
/// late or too early; the other orderings only arrange how the data got there (which store, through
/// which fault, seen by which later access) and make different shapes of one cause. A counterexample
/// with no ordering against an invalidation is named by all its orderings, and one that needs no
/// order between agents by its oracle and the step that fired it. Each part is kept as a short
/// stable hash, which is what campaign files record.
/// </summary>
public static class CauseSignature
{
    public sealed record Result(IReadOnlyList<string> Parts, IReadOnlyList<string> Words, int Steps, CriticalOrderings.Result Orderings);

    public static Result Of(Scenario shrunk, KernelDefinition kernel, OracleId oracle, SimOptions? options = null)
    {
        CriticalOrderings.Result r = CriticalOrderings.Find(shrunk, kernel, oracle, options);
        Simulator sim = Replayer.Run(r.Full, kernel, options).Sim;
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (CriticalOrdering o in r.Orderings)
        {
            if (Invalidates(sim, o.Before) || Invalidates(sim, o.After)) words.Add(OrderingText.Signature(sim, o));
        }
        if (words.Count == 0)
        {
            foreach (CriticalOrdering o in r.Orderings) words.Add(OrderingText.Signature(sim, o));
        }
        if (words.Count == 0) words.Add(Unordered(sim, oracle));
        return new Result(words.Select(Hash).Distinct().Order(StringComparer.Ordinal).ToArray(), words.ToArray(), sim.Tick, r);
    }

    /// <summary>
    /// The finding with its critical orderings and cause filled in: what every search that saves
    /// counterexamples (fuzzing, campaigns, exhaustive verification) does before grouping them.
    /// </summary>
    public static Finding Explain(Finding f, KernelDefinition kernel, SimOptions? options = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Result cause = Of(f.Shrunk, kernel, f.Oracle, options);
        return f with { Cause = cause, CauseTime = clock.Elapsed };
    }

    /// <summary>Whether the action at <paramref name="tick"/> is a flush or an invalidation: a TLB flush or secondary-TLB step, or the IOMMU executing an invalidation command.</summary>
    private static bool Invalidates(Simulator sim, int tick)
    {
        foreach (ref readonly Model.Trace.TraceEvent e in sim.Trace.Events)
        {
            if (e.Tick > tick) break;
            if (e.Tick != tick) continue;
            if (e.Kind == Model.Trace.TraceKind.IommuCommand) return true;
            if (e.Kind == Model.Trace.TraceKind.Step && !e.Local
                && StepCatalog.Info(e.Step).Category is StepCategory.TlbFlush or StepCategory.SecondaryFlush) return true;
        }
        return false;
    }

    /// <summary>A violation with no order between agents: the oracle, its finding and the step it fired at.</summary>
    private static string Unordered(Simulator sim, OracleId oracle)
    {
        if (!sim.Violations.TryGet(oracle, out Violation v)) return "unordered " + OracleNames.Name(oracle);
        string step = v.HasStep ? StepCatalog.Name(v.Step) : "-";
        string agent = v.Agent < 0 ? "quiescence" : sim.Layout.Kind(v.Agent) == AgentKind.Cpu ? "CPU" : sim.AgentNames[v.Agent];
        return $"unordered {OracleNames.Name(oracle)} {v.Code} {agent} {step}";
    }

    /// <summary>12 hex digits of FNV-1a 64: stable across runs and machines.</summary>
    public static string Hash(string word) => ScenarioHash.Fnv1a(word).ToString("x16")[..12];
}
