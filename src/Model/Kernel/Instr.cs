namespace Fuzz.Model.Kernel;

/// <summary>A compiled instruction: labels resolved to instruction indices.</summary>
public readonly struct Instr
{
    public readonly InstrKind Kind;
    public readonly StepId Step;
    public readonly Operand Operand;
    public readonly bool BranchWhen;
    public readonly short Target;
    public readonly RecipeId Callee;
    /// <summary>Which occurrence of this step in the recipe (1-based), for names like put_page#2.</summary>
    public readonly byte Occurrence;

    public Instr(InstrKind kind, StepId step, Operand operand, bool branchWhen, short target, RecipeId callee, byte occurrence)
    {
        Kind = kind;
        Step = step;
        Operand = operand;
        BranchWhen = branchWhen;
        Target = target;
        Callee = callee;
        Occurrence = occurrence;
    }
}
