namespace Fuzz.Model.Kernel;

/// <summary>A compiled instruction: labels resolved to instruction indices.</summary>
public readonly struct Instr
{
    /// <summary><see cref="Guard"/> when the instruction has no caller guard.</summary>
    public const byte NoGuard = byte.MaxValue;

    public readonly InstrKind Kind;
    public readonly StepId Step;
    public readonly Operand Operand;
    public readonly bool BranchWhen;
    public readonly short Target;
    public readonly RecipeId Callee;
    /// <summary>Which occurrence of this step in the recipe (1-based), for names like put_page#2.</summary>
    public readonly byte Occurrence;
    /// <summary>A forced check's answer: -1 not forced, 0 false, 1 true.</summary>
    public readonly sbyte Forced;
    /// <summary>The recipe a caller guard names (<see cref="NoGuard"/> when none), and whether it must be on the stack.</summary>
    public readonly byte Guard;
    public readonly bool GuardInside;

    public Instr(InstrKind kind, StepId step, Operand operand, bool branchWhen, short target, RecipeId callee, byte occurrence,
        sbyte forced = -1, byte guard = NoGuard, bool guardInside = true)
    {
        Kind = kind;
        Step = step;
        Operand = operand;
        BranchWhen = branchWhen;
        Target = target;
        Callee = callee;
        Occurrence = occurrence;
        Forced = forced;
        Guard = guard;
        GuardInside = guardInside;
    }

    /// <summary>A step a variant changed so that it takes no time here: forced, or guarded by a caller.</summary>
    public bool IsEdited => Forced >= 0 || Guard != NoGuard;
}
