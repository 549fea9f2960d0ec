using Fuzz.Campaigns;
using Fuzz.Model.Kernel;

namespace Fuzz.Search.Verification;

/// <summary>What a verify run searches and how: the kernel, the scope, workers and shard.</summary>
public sealed record VerifyOptions
{
    public required KernelDefinition Kernel { get; init; }
    /// <summary>How scenarios and findings name the kernel.</summary>
    public required string KernelRef { get; init; }
    public required Scope Scope { get; init; }
    public int Workers { get; init; } = Environment.ProcessorCount;
    public Shard Shard { get; init; } = Shard.Whole;
    public ExploreOptions Explore { get; init; } = new();
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How deep the first pass searches every scenario (VerifyRunner): the thread's counterexamples are 17 to 19 steps; deeper, the first pass costs more than it saves (seed (b)'s scope: 1.2 million states at 32, about 1 million at 24).</summary>
    public int FirstPassDepth { get; init; } = 20;
    /// <summary>Bytes a first-pass window's explorers may hold together (VerifyRunner.FirstPass.cs): beyond it the deepest one is finished first and let go, so the window shrinks.</summary>
    public long FirstPassMemory { get; init; } = 2L << 30;
    /// <summary>Bytes the explorers of scenarios the first pass cut short may hold while they wait for the second pass, which goes on from their frontiers; beyond it a scenario is searched again from its start.</summary>
    public long ParkMemory { get; init; } = 1L << 30;
    /// <summary>Which scenarios (by index in the scope) to search; null: all. The audit's complete mode leaves out those in which the base kernel never runs the mutated recipe.</summary>
    public Func<int, bool>? Include { get; init; }
}

/// <summary>A verify run so far: scenarios searched, states, the smallest counterexample yet.</summary>
public readonly record struct VerifyProgress(int Done, int Total, long States, long Transitions, long Pruned, TimeSpan Elapsed, ScenarioResult? Best, int Limits, long PeakBytes, double BytesPerState);
