namespace Fuzz.Model.Kernel;

/// <summary>
/// Instruction kinds of a recipe. Only <see cref="Step"/> and <see cref="Check"/> are kernel steps
/// (and can be edited by a variant); the rest is control flow, taking no time.
/// </summary>
public enum InstrKind : byte
{
    /// <summary>Run a step.</summary>
    Step,
    /// <summary>Run a step that answers yes or no; jump to the target when the answer equals BranchWhen.</summary>
    Check,
    /// <summary>Call another recipe (a kernel function that is itself a recipe).</summary>
    Call,
    Goto,
    Label,
    /// <summary>Start of a per-page loop over the operation's range (the address becomes its start).</summary>
    LoopBegin,
    /// <summary>Next page of the loop: advance the address and jump back while inside the range.</summary>
    LoopEnd,
    Return,
}
