using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Fuzzing;

/// <summary>What a fuzz run does: which kernel, which scenario space, which seeds, when to stop.</summary>
public sealed record FuzzOptions
{
    public required KernelDefinition Kernel { get; init; }
    /// <summary>How scenarios name the kernel (v4.14, seed-b, a path): written into saved files.</summary>
    public required string KernelRef { get; init; }
    public GeneratorSettings Settings { get; init; } = GeneratorSettings.Default;
    /// <summary>
    /// Optional second scenario space, used for every even scenario seed (the audit points it at the
    /// operations that reach a mutated recipe); the odd seeds keep <see cref="Settings"/>.
    /// </summary>
    public GeneratorSettings? Focus { get; init; }
    /// <summary>
    /// One fixed scenario whose schedules are fuzzed instead of generating scenarios: each scenario
    /// seed draws a fresh schedule for it (<see cref="ScheduleGenerator"/>, with <see cref="Settings"/>'
    /// schedule knobs). Its own schedule, expectations and comments are not used; it runs under
    /// <see cref="Kernel"/> and names <see cref="KernelRef"/>.
    /// </summary>
    public Scenario? FixedScenario { get; init; }
    public SimOptions Sim { get; init; } = SimOptions.Default;
    public ulong Seed { get; init; }
    /// <summary>Scenario seeds used are Derive(Seed, FirstIndex + k * Stride): disjoint shards for k = 0, 1, ...</summary>
    public ulong FirstIndex { get; init; }
    public ulong Stride { get; init; } = 1;
    public TimeSpan? Duration { get; init; }
    public long? MaxScenarios { get; init; }
    /// <summary>Stop after this many distinct failures (0: never stop for failures).</summary>
    public int MaxFailures { get; init; } = 1;
    /// <summary>Count only failures of this oracle (shrinking keeps it); null: the first oracle a run violates.</summary>
    public OracleId? Oracle { get; init; }
    /// <summary>
    /// Stop shrinking every occurrence of a failure whose last shrinks all gave known results (see
    /// <see cref="ShrinkBackoff"/>): a buggy kernel fails thousands of times a second, mostly the
    /// same way, and shrinking each would leave no time for fuzzing.
    /// </summary>
    public bool ShrinkBackoff { get; init; } = true;
    /// <summary>Called with each scenario seed after it ran (statistics and tests; not in the step loop).</summary>
    public Action<ulong>? Observer { get; init; }
    /// <summary>How often the progress callback runs.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The settings a scenario seed is generated with (a function of the seed alone, so it regenerates).</summary>
    public GeneratorSettings SettingsFor(ulong scenarioSeed) =>
        Focus is { } focus && (scenarioSeed & 1) == 0 ? focus : Settings;
}
