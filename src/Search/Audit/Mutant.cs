using Fuzz.Formats.Kernels;
using Fuzz.Model.Kernel;
using Fuzz.Model.Variants;

namespace Fuzz.Search.Audit;

/// <summary>How the audit edits one step of a recipe.</summary>
public enum MutationKind : byte
{
    /// <summary>The step is gone: is it needed?</summary>
    Remove,
    /// <summary>A flush or notify step runs after the next unlock instead: may it move out of the lock?</summary>
    MovePastUnlock,
    /// <summary>A check always answers yes, without running: is the case it guards needed?</summary>
    ForceTrue,
    /// <summary>A check always answers no, without running (the attempt fails): is the other case needed?</summary>
    ForceFalse,
}

/// <summary>
/// One mutant of a kernel: a single edit to one named step of one recipe, written in the variant
/// language so that it can be saved as a .kernel file and replayed.
/// </summary>
public sealed record Mutant(RecipeId Recipe, MutationKind Kind, string Step, StepCategory Category, string? Anchor, Requirement Requirement)
{
    /// <summary>The edit as a variant file line: "remove wp_page_copy flush_tlb_page".</summary>
    public string Line => Kind switch
    {
        MutationKind.Remove => $"remove {Recipe} {Step}",
        MutationKind.MovePastUnlock => $"move {Recipe} {Step} after {Anchor}",
        MutationKind.ForceTrue => $"force {Recipe} {Step} true",
        _ => $"force {Recipe} {Step} false",
    };

    /// <summary>The edit without the recipe: "remove flush_tlb_page".</summary>
    public string Edit => Kind switch
    {
        MutationKind.Remove => $"remove {Step}",
        MutationKind.MovePastUnlock => $"move {Step} after {Anchor}",
        MutationKind.ForceTrue => $"force {Step} true",
        _ => $"force {Step} false",
    };

    /// <summary>What names the mutant on the command line (--only) and in the table.</summary>
    public string Id => $"{Recipe}: {Edit}";

    /// <summary>A file name stem: recipe, edit and step, with only safe characters.</summary>
    public string FileStem
    {
        get
        {
            string verb = Kind switch
            {
                MutationKind.Remove => "remove",
                MutationKind.MovePastUnlock => "move",
                MutationKind.ForceTrue => "force-true",
                _ => "force-false",
            };
            string text = $"{Recipe}-{verb}-{Step}";
            var chars = text.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_').ToArray();
            return new string(chars).Replace("__", "_", StringComparison.Ordinal).TrimEnd('_');
        }
    }

    /// <summary>
    /// The step whose execution first tells the mutant from <paramref name="baseKernel"/>: the step
    /// removed, forced or moved (a path that never runs it is a path of the base); null for a
    /// removed call, which counts as running once any step of the recipe runs.
    /// </summary>
    public StepId? EditedStep(KernelDefinition baseKernel)
    {
        RecipeDraft r = baseKernel.Draft(Recipe);
        int i = r.Resolve(Step, out _);
        return i >= 0 && r.Code[i].IsStep ? r.Code[i].Step : null;
    }

    /// <summary>The mutant as a variant file over <paramref name="baseRef"/>.</summary>
    public string KernelText(string baseRef) =>
        $"# fuzz audit mutant: {Id}\n" +
        (Requirement == Requirement.None ? "" : $"# the audit expects this edit to be caught: {Requirements.Describe(Requirement)}\n") +
        $"kernel {KernelFile.FormatVersion}\nname audit-{FileStem}\nbase {baseRef}\n{Line}\n";

    /// <summary>Build the mutant kernel; <paramref name="file"/> is where its text would live (for base lookup and errors).</summary>
    public KernelDefinition Build(string baseRef, string file) => KernelFile.Parse(KernelText(baseRef), file);
}
