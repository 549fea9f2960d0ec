namespace Fuzz.Model.Scheduling;

/// <summary>
/// An order between two actions of different agents that a violation needs: the action taken at
/// tick <see cref="Before"/> must come before the one at tick <see cref="After"/> (a tick is a
/// position in the schedule taken). Swapping the two, all else kept, makes the violation vanish.
/// </summary>
public readonly record struct CriticalOrdering(int Before, int After);
