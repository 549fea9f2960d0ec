namespace Fuzz.Model.Kernel;

/// <summary>
/// Declares a method of <c>Steps</c> as the implementation of the step of the same name, with the
/// step's catalog entry. The method's name is the step's name as recipes, listings and variant
/// files write it (a <see cref="StepId"/> member), so a step is declared once, where it is
/// implemented; <see cref="StepCatalog"/> collects them and refuses a step without one.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StepAttribute(StepCategory category, string summary) : Attribute
{
    public StepCategory Category { get; } = category;

    /// <summary>What the step does, in kernel terms (fuzz steps prints it).</summary>
    public string Summary { get; } = summary;

    /// <summary>
    /// Runs in zero time: it touches only the agent's own variables, or reads state under a lock the
    /// agent holds, so it commutes with every other agent's step.
    /// </summary>
    public bool Local { get; init; }

    /// <summary>
    /// For a step that can wait (a lock, a completion): the name of the predicate, a method of
    /// <c>Steps</c> taking the same arguments, that says whether it can run now.
    /// </summary>
    public string? Ready { get; init; }

    /// <summary>
    /// A check that only reads: it changes neither the machine nor the operation's variables, so a
    /// variant may force its answer either way ("force RECIPE CHECK true"). A check with an effect
    /// can only be forced false (the attempt fails and does nothing).
    /// </summary>
    public bool Predicate { get; init; }

    /// <summary>
    /// Bookkeeping of the model with no kernel function behind it (an argument shuffle between two
    /// calls, a value the kernel keeps in a register); listings mark it "(model)".
    /// </summary>
    public bool Model { get; init; }
}
