namespace Fuzz.Model.Simulation;

/// <summary>The scenario exceeded a bound of the model (not a kernel bug): frames, ticks of history.</summary>
public sealed class ModelLimitException(string message) : Exception(message);
