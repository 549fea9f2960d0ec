using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;

namespace Fuzz.Search.Shrinking;

/// <summary>
/// Reduces a failing scenario to a 1-minimal one that still violates the same oracle: no single
/// operation, schedule action, agent, initial page or argument simplification can be dropped or
/// simplified without losing the failure. Then puts it in canonical form (<see cref="Normalizer"/>).
/// Deterministic: the same input gives the same output.
/// </summary>
public sealed class Shrinker
{
    private readonly KernelDefinition _kernel;
    private readonly OracleId _oracle;
    private readonly SimOptions? _options;
    private readonly TraceLog _trace;

    public Shrinker(KernelDefinition kernel, OracleId oracle, SimOptions? options = null)
    {
        _kernel = kernel;
        _oracle = oracle;
        _options = options;
        _trace = new TraceLog(Simulator.TraceCapacity(options ?? SimOptions.Default));
    }

    /// <summary>Replays made while shrinking.</summary>
    public int Attempts { get; private set; }

    public bool Fails(Scenario s)
    {
        Attempts++;
        try
        {
            return Replayer.Run(s, _kernel, _options, _trace).Violates(_oracle);
        }
        catch (ModelLimitException)
        {
            return false;
        }
    }

    public Scenario Shrink(Scenario failing)
    {
        if (!Fails(failing)) throw new ArgumentException($"the scenario does not violate {OracleNames.Name(_oracle)}", nameof(failing));
        Scenario current = ScheduleNormalizer.Normalize(failing, _kernel, _options);
        if (!Fails(current)) current = failing;
        for (int round = 0; ; round++)
        {
            current = Descend(current);
            Scenario canonical = Normalizer.Canonicalize(current, _kernel, _oracle, _options);
            if (!Fails(canonical)) return current;
            if (round == 8 || ScenarioWriter.Write(canonical) == ScenarioWriter.Write(current)) return canonical;
            current = canonical;
        }
    }

    /// <summary>
    /// Take the first candidate that still fails, until none does (the schedule kept free of skips).
    /// When none does, try each smaller program with a freshly searched schedule before giving up.
    /// </summary>
    private Scenario Descend(Scenario current)
    {
        current = ScheduleNormalizer.Normalize(current, _kernel, _options);
        while (true)
        {
            Scenario? next = FirstFailing(ShrinkCandidates.Of(current, _kernel)) ?? Rescheduled(current);
            if (next is null) return current;
            Scenario normalized = ScheduleNormalizer.Normalize(next, _kernel, _options);
            current = Fails(normalized) ? normalized : next;
        }
    }

    private Scenario? FirstFailing(IEnumerable<Scenario> candidates)
    {
        foreach (Scenario candidate in candidates)
        {
            if (Fails(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>A scenario with one operation fewer (or one folded into the initial state) and a new schedule that still fails.</summary>
    private Scenario? Rescheduled(Scenario current)
    {
        foreach (Scenario smaller in ShrinkCandidates.Programs(current, _kernel))
        {
            Attempts += SearchAttempts;
            Scenario? found = ScheduleSearch.Find(smaller, _kernel, _oracle, SearchAttempts, _options);
            if (found is not null) return found;
        }
        return null;
    }

    /// <summary>Random schedules tried per smaller program when no plain candidate fails.</summary>
    public int SearchAttempts { get; init; } = 300;
}
