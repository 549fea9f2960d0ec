using System.Diagnostics;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Model.Trace;
using Fuzz.Search.Shrinking;

namespace Fuzz.Search.Fuzzing;

/// <summary>
/// The fuzz loop: generate a scenario from each derived seed (or draw a schedule for one fixed
/// scenario), run it, fold its statistics in; on a violation, shrink it to a canonical minimal
/// scenario and report it unless the same bug was already found. Wall-clock time is read here only, never inside the model.
/// </summary>
public sealed class FuzzRunner
{
    private readonly FuzzOptions _o;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    /// <summary>One trace buffer for every scenario this runner runs (it is most of a simulator's memory).</summary>
    private readonly TraceLog _trace;
    private readonly ShrinkBackoff _backoff = new();

    public FuzzRunner(FuzzOptions options)
    {
        _o = options;
        _trace = new TraceLog(Simulator.TraceCapacity(options.Sim));
    }

    public FuzzStats Stats { get; } = new();
    public List<Finding> Findings { get; } = new();
    /// <summary>The findings grouped by root cause (distinct failures are causes; findings are their shapes).</summary>
    public RootCauses Causes { get; } = new();

    /// <summary>
    /// Scenario indices consumed so far: every scenario run, plus any the model refused
    /// (ModelLimitException), which Stats does not count. A campaign resumes from here.
    /// </summary>
    public long IndicesUsed => Volatile.Read(ref _indicesUsed);

    private long _indicesUsed;

    /// <summary>Run until the time or scenario budget is spent, enough failures were found, or cancellation.</summary>
    public void Run(Action<FuzzProgress>? progress = null, Action<Finding>? found = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan nextProgress = _o.ProgressInterval;
        for (ulong k = 0; ; k++)
        {
            if (cancel.IsCancellationRequested) break;
            if (_o.MaxScenarios is { } max && (long)k >= max) break;
            if (_o.Duration is { } d && clock.Elapsed >= d) break;
            if (_o.MaxFailures > 0 && Causes.Count >= _o.MaxFailures) break;

            ulong seed = Seeds.Derive(_o.Seed, _o.FirstIndex + k * _o.Stride);
            RunOne(seed, clock, found);
            Volatile.Write(ref _indicesUsed, (long)k + 1);

            if (progress is not null && clock.Elapsed >= nextProgress)
            {
                progress(Snapshot(clock.Elapsed));
                nextProgress = clock.Elapsed + _o.ProgressInterval;
            }
        }
        progress?.Invoke(Snapshot(clock.Elapsed));
    }

    public FuzzProgress Snapshot(TimeSpan elapsed) =>
        new(Stats.Scenarios, Stats.Ticks, Causes.Count, elapsed, _o.Duration is { } d ? d - elapsed : null);

    /// <summary>Generate and run the scenario of one seed; returns the finding if it was a new failure.</summary>
    public Finding? RunOne(ulong seed, Stopwatch clock, Action<Finding>? found = null)
    {
        Scenario scenario = Generate(seed);
        Simulator sim;
        try
        {
            sim = new Simulator(_o.Kernel, scenario, _o.Sim, _trace);
            sim.Run(new ScriptStrategy(scenario.Schedule));
        }
        catch (ModelLimitException)
        {
            return null;
        }
        Stats.Add(sim);
        _o.Observer?.Invoke(seed);
        if (!sim.Violations.Any) return null;
        OracleId oracle = _o.Oracle ?? sim.Violations[0].Oracle;
        if (!sim.Violations.TryGet(oracle, out Violation first)) return null;
        var signature = (first.Oracle, first.Code, first.HasStep ? first.Step : (StepId)255);
        if (_o.ShrinkBackoff && !_backoff.ShouldShrink(signature)) return null;

        TimeSpan foundAt = clock.Elapsed;
        var shrinker = new Shrinker(_o.Kernel, oracle, _o.Sim);
        var shrinkClock = Stopwatch.StartNew();
        Scenario shrunk = shrinker.Shrink(scenario);
        var finding = new Finding(oracle, seed, scenario, shrunk, Stats.Scenarios, foundAt, shrinkClock.Elapsed, shrinker.Attempts)
        {
            SeedDrawsSchedule = _o.FixedScenario is not null,
        };
        bool isNew = _seen.Add(finding.Key);
        if (_o.ShrinkBackoff) _backoff.Shrunk(signature, isNew);
        if (!isNew) return null;
        finding = CauseSignature.Explain(finding, _o.Kernel, _o.Sim);
        Causes.Add(new RootCauses.Shape(finding.Key, finding.Cause!.Parts, shrunk.OperationCount, finding.Steps));
        Findings.Add(finding);
        found?.Invoke(finding);
        return finding;
    }

    /// <summary>The scenario of one seed: generated, or the fixed scenario under a schedule drawn from the seed.</summary>
    public Scenario Generate(ulong seed) => _o.FixedScenario is { } fixedScenario
        ? fixedScenario with { Kernel = _o.KernelRef, Expect = null, ExpectUnder = [], Comments = [], Schedule = ScheduleGenerator.Draw(new PcgChoices(seed), _o.Settings, fixedScenario) }
        : ScenarioGenerator.Generate(new PcgChoices(seed), _o.SettingsFor(seed), _o.KernelRef);
}
