
using Fuzz.Search.Fuzzing;

namespace Fuzz.Search.Audit;

/// <summary>
/// What fuzzing one mutant gave: the shrunk finding (caught) or none within the budget; an error
/// when the mutant is not a kernel the model can run (reported, never counted as caught).
/// </summary>
public sealed record AuditResult(
    Mutant Mutant,
    Finding? Finding,
    int ShrunkSteps,
    long Scenarios,
    TimeSpan Elapsed,
    string? Error)
{
    public bool Caught => Finding is not null;

    /// <summary>Complete mode: the scope a caught mutant was searched over, or the verdict of one that was not caught.</summary>
    public string? Complete { get; init; }

    /// <summary>The file the shrunk counterexample was saved to, once saved.</summary>
    public string? SavedScenario { get; init; }
}
