namespace Fuzz.Model.Simulation;

/// <summary>Bounds of one run.</summary>
public sealed record SimOptions
{
    /// <summary>Ticks before the run is declared livelocked (progress oracle).</summary>
    public int MaxTicks { get; init; } = 4000;

    /// <summary>
    /// Faults one operation may take before it is declared stuck in an endless fault loop; added to
    /// the number of operations in the scenario, since each other operation may undo a fix once.
    /// </summary>
    public int FaultSlack { get; init; } = 8;

    /// <summary>Zero-time instructions one tick may run before the recipe is declared to loop without doing anything.</summary>
    public int ZeroTimeBudget { get; init; } = 4096;

    public static SimOptions Default { get; } = new();
}
