namespace Fuzz.Search.Fuzzing;

/// <summary>A progress snapshot: how far a run got and how fast it goes.</summary>
public readonly record struct FuzzProgress(long Scenarios, long Ticks, int Failures, TimeSpan Elapsed, TimeSpan? Remaining)
{
    public double ScenariosPerSecond => Scenarios / Math.Max(1e-9, Elapsed.TotalSeconds);

    public double StepsPerSecond => Ticks / Math.Max(1e-9, Elapsed.TotalSeconds);
}
