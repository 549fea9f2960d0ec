using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Audit;

/// <summary>What an audit fuzzes and how hard: the base kernel, a scenario budget per mutant, workers.</summary>
public sealed record AuditOptions
{
    public required KernelDefinition Kernel { get; init; }
    /// <summary>How mutant kernel files name their base: "v4.14", a kernel name, or an absolute path.</summary>
    public required string KernelRef { get; init; }
    public GeneratorSettings Settings { get; init; } = GeneratorSettings.Default;
    public SimOptions Sim { get; init; } = SimOptions.Default;
    /// <summary>Generated scenarios per mutant before it counts as not caught (a count, so the verdicts are reproducible).</summary>
    public long Budget { get; init; } = DefaultBudget;
    /// <summary>Edits the audit must catch get this many times the budget: a rare race is still a race.</summary>
    public int RequiredFactor { get; init; } = 4;
    public int Workers { get; init; } = Environment.ProcessorCount;
    public ulong Seed { get; init; } = 1;
    /// <summary>Complete mode: the shipped scopes; each mutant is searched over the smallest that reaches its edit (CompleteAudit).</summary>
    public IReadOnlyList<AuditScope>? CompleteScopes { get; init; }
    /// <summary>Complete mode: search every mutant coherent over its smallest scope over the next ones too (by default only the edits the audit must catch go on).</summary>
    public bool EveryScope { get; init; }

    public const long DefaultBudget = 250_000;
}
