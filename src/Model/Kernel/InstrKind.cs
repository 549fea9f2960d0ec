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
    /// <summary>
    /// Call another recipe (a kernel function that is itself a recipe). With a target, jump there
    /// when the callee's result equals BranchWhen ("if (write_protect_page(...)) goto out;").
    /// </summary>
    Call,
    Goto,
    Label,
    /// <summary>Start of a per-page loop over the operation's range (the address becomes its start).</summary>
    LoopBegin,
    /// <summary>Next page of the loop: advance the address and jump back while inside the range.</summary>
    LoopEnd,
    /// <summary>
    /// Start of an rmap walk: the (mm, address) of each PTE that maps the page (operand Page) or
    /// holds a migration entry for it (operand Migration), in order; jumps to the target if none.
    /// </summary>
    RmapBegin,
    /// <summary>Next mapping of the rmap walk: jump back to the target while there is one.</summary>
    RmapNext,
    /// <summary>Return; BranchWhen is the result ("return 0" true, "return -EFAULT" false).</summary>
    Return,
}
