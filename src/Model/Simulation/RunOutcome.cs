namespace Fuzz.Model.Simulation;

/// <summary>How a run ended; the details are in the simulator's trace and violation log.</summary>
public readonly record struct RunOutcome(int Ticks, int Violations, bool Deadlocked)
{
    public bool Coherent => Violations == 0;
}
