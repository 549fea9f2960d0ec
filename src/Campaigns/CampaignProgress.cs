namespace Fuzz.Campaigns;

/// <summary>A campaign's state for the progress line: totals over every worker and every session; Distinct counts root causes.</summary>
public readonly record struct CampaignProgress(
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    long Scenarios,
    double ScenariosPerSecond,
    int Distinct,
    int RacePairs,
    int RacePairsPossible)
{
    /// <summary>Counterexamples saved (the shapes of the <see cref="Distinct"/> causes).</summary>
    public int Shapes { get; init; }
}
