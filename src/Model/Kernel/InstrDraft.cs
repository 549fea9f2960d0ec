namespace Fuzz.Model.Kernel;

/// <summary>
/// One instruction of a recipe before compilation: jump targets are label names, so that a
/// variant can remove, move or insert steps and the labels stay where the kernel's gotos point.
/// </summary>
public sealed record InstrDraft(
    InstrKind Kind,
    StepId Step = default,
    Operand Operand = Operand.None,
    bool BranchWhen = false,
    string? Target = null,
    RecipeId Callee = default,
    string? Label = null)
{
    public bool IsStep => Kind is InstrKind.Step or InstrKind.Check;

    /// <summary>How the step is written in listings and variant files: put_page(new_page).</summary>
    public string StepText => Operand == Operand.None
        ? StepCatalog.Name(Step)
        : $"{StepCatalog.Name(Step)}({OperandNames.Of(Operand)})";
}
