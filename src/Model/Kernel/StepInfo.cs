namespace Fuzz.Model.Kernel;

/// <summary>Static facts about a step: its kernel name, what it does, and how it is scheduled.</summary>
/// <param name="Local">Runs in zero time: it touches only the agent's own variables, or reads state
/// under a lock the agent holds. Such a step commutes with every other agent's step, so giving it a
/// tick of its own would only lengthen schedules.</param>
/// <param name="Blocking">May be disabled (a lock held, a condition not yet true).</param>
/// <param name="Model">The model's own bookkeeping, not a kernel function.</param>
/// <param name="Predicate">A check that only reads (its answer may be forced either way).</param>
public readonly record struct StepInfo(string Name, StepCategory Category, bool Local, bool Blocking, string Summary, bool Model = false, bool Predicate = false);
