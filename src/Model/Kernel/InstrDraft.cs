namespace Fuzz.Model.Kernel;

/// <summary>
/// One instruction of a recipe before compilation: jump targets are label names, so that a
/// variant can remove, move or insert steps and the labels stay where the kernel's gotos point.
/// </summary>
/// <param name="Forced">For a check a variant forced: the answer it always gives, without running
/// the step ("force RECIPE CHECK true|false"); null for an ordinary instruction.</param>
/// <param name="Guard">For an edit limited to one caller's path ("... in CALLER"): the recipe that
/// must (or, with <paramref name="GuardInside"/> false, must not) be on the call stack for the
/// instruction to run; otherwise it is skipped in zero time.</param>
public sealed record InstrDraft(
    InstrKind Kind,
    StepId Step = default,
    Operand Operand = Operand.None,
    bool BranchWhen = false,
    string? Target = null,
    RecipeId Callee = default,
    string? Label = null,
    bool? Forced = null,
    RecipeId? Guard = null,
    bool GuardInside = true)
{
    public bool IsStep => Kind is InstrKind.Step or InstrKind.Check;

    /// <summary>How the step is written in listings and variant files: put_page(new_page).</summary>
    public string StepText => Operand == Operand.None
        ? StepCatalog.Name(Step)
        : $"{StepCatalog.Name(Step)}({OperandNames.Of(Operand)})";

    /// <summary>The variant annotations a listing shows after the step: forced answer, caller guard.</summary>
    public string Annotation =>
        (Forced is { } f ? $" [forced {(f ? "true" : "false")}]" : "")
        + (Guard is { } g ? $" [{(GuardInside ? "only" : "not")} in {g}]" : "");
}
