using Fuzz.Model.Kernel;

namespace Fuzz.Model.Variants;

/// <summary>
/// Edits to named steps of named recipes: remove, move before/after, replace, insert (a step, a
/// check with its branch, or a block written like a listing), force a check's answer. Each returns
/// the edited recipe or an error text naming what was not found. Labels (the targets of the
/// kernel's gotos) stay in place, so a moved step crosses them as it would in the source.
/// <para>
/// An edit limited to one caller's path (<paramref name="caller"/>: "... in migrate_pages") keeps
/// the original instruction for every other path and adds the edited one for that path, each
/// guarded by whether the caller is on the call stack: try_to_unmap_one serves reclaim and
/// migration, and a kernel engineer who means one of them must be able to say so.
/// </para>
/// </summary>
public static class VariantEditor
{
    public static RecipeDraft? Remove(RecipeDraft r, string step, RecipeId? caller, out string? error)
    {
        int i = r.Resolve(step, out error);
        if (i < 0) return null;
        var code = r.Code.ToList();
        if (caller is { } c) code[i] = Guarded(code[i], c, inside: false, out error);
        else code.RemoveAt(i);
        return error is null ? r.With(code) : null;
    }

    public static RecipeDraft? Move(RecipeDraft r, string step, bool before, string anchor, RecipeId? caller, out string? error)
    {
        int i = r.Resolve(step, out error);
        if (i < 0) return null;
        int j = r.Resolve(anchor, out error);
        if (j < 0) return null;
        if (i == j)
        {
            error = $"cannot move '{step}' relative to itself";
            return null;
        }
        var code = r.Code.ToList();
        InstrDraft moved = code[i];
        if (caller is { } c)
        {
            code[i] = Guarded(moved, c, inside: false, out error);
            code.Insert(before ? j : j + 1, Guarded(moved, c, inside: true, out error));
            return error is null ? r.With(code) : null;
        }
        code.RemoveAt(i);
        if (j > i) j--;
        code.Insert(before ? j : j + 1, moved);
        return r.With(code);
    }

    /// <summary>Replace a step by another step of the vocabulary; a check stays a check (same branch).</summary>
    public static RecipeDraft? Replace(RecipeDraft r, string step, string with, RecipeId? caller, out string? error)
    {
        int i = r.Resolve(step, out error);
        if (i < 0) return null;
        if (!ParseNewStep(with, out StepId id, out Operand operand, out error)) return null;
        var code = r.Code.ToList();
        InstrDraft replacement = code[i] with { Step = id, Operand = operand };
        if (caller is { } c)
        {
            code[i] = Guarded(code[i], c, inside: false, out error);
            code.Insert(i + 1, Guarded(replacement, c, inside: true, out error));
        }
        else code[i] = replacement;
        return error is null ? r.With(code) : null;
    }

    /// <summary>
    /// Insert instructions before or after a step: one step, a check with its branch ("if -> LABEL"),
    /// or a block of steps, checks, gotos and labels. Every branch must name a label of the recipe
    /// or of the block, and the block's labels must be new.
    /// </summary>
    public static RecipeDraft? Insert(RecipeDraft r, IReadOnlyList<InstrDraft> block, bool before, string anchor, RecipeId? caller, out string? error)
    {
        int j = r.Resolve(anchor, out error);
        if (j < 0) return null;
        var labels = new HashSet<string>(r.Code.Where(d => d.Kind == InstrKind.Label).Select(d => d.Label!), StringComparer.Ordinal);
        foreach (InstrDraft d in block)
        {
            if (d.Kind == InstrKind.Label && !labels.Add(d.Label!))
            {
                error = $"label '{d.Label}' is already defined in {r.Name}";
                return null;
            }
        }
        foreach (InstrDraft d in block)
        {
            if (d.Target is { } t && !labels.Contains(t))
            {
                error = $"no label '{t}' in {r.Name} or in the inserted block; its labels are: {string.Join(", ", labels.Order(StringComparer.Ordinal))}";
                return null;
            }
        }
        var inserted = new List<InstrDraft>(block.Count);
        foreach (InstrDraft d in block)
        {
            if (caller is { } c && d.IsStep)
            {
                inserted.Add(Guarded(d, c, inside: true, out error));
                if (error is not null) return null;
            }
            else inserted.Add(d);
        }
        var code = r.Code.ToList();
        code.InsertRange(before ? j : j + 1, inserted);
        return r.With(code);
    }

    /// <summary>
    /// Force a check's answer: the branch is taken (or not) without running the step, which is what
    /// "this condition is always true/false" means. Removing a check would only fall through.
    /// </summary>
    public static RecipeDraft? Force(RecipeDraft r, string check, bool value, RecipeId? caller, out string? error)
    {
        int i = r.Resolve(check, out error);
        if (i < 0) return null;
        var code = r.Code.ToList();
        if (code[i].Kind != InstrKind.Check)
        {
            error = $"'{check}' is a step of {r.Name}, not a check: only a check's answer can be forced";
            return null;
        }
        if (value && !StepCatalog.Info(code[i].Step).Predicate)
        {
            error = $"'{check}' changes the machine when it answers yes ({StepCatalog.Info(code[i].Step).Summary}); it can be forced false, not true";
            return null;
        }
        InstrDraft forced = code[i] with { Forced = value };
        if (caller is { } c)
        {
            code[i] = Guarded(code[i], c, inside: false, out error);
            code.Insert(i + 1, Guarded(forced, c, inside: true, out error));
        }
        else code[i] = forced;
        return error is null ? r.With(code) : null;
    }

    private static InstrDraft Guarded(InstrDraft d, RecipeId caller, bool inside, out string? error)
    {
        error = d.Guard is null ? null : $"'{d.StepText}' is already limited to a caller's path; edit it once per path";
        return d with { Guard = caller, GuardInside = inside };
    }

    /// <summary>A step written as name or name(operand), for replace and insert.</summary>
    public static bool ParseNewStep(string text, out StepId id, out Operand operand, out string? error)
    {
        error = null;
        operand = Operand.None;
        string name = text;
        int paren = text.IndexOf('(');
        if (paren >= 0)
        {
            if (!text.EndsWith(')') || !OperandNames.TryParse(text[(paren + 1)..^1], out operand))
            {
                error = $"'{text}': operand must be one of {string.Join(", ", Enum.GetValues<Operand>().Skip(1).Select(OperandNames.Of))}";
                id = default;
                return false;
            }
            name = text[..paren];
        }
        if (!StepCatalog.TryParse(name, out id))
        {
            error = $"unknown step '{name}' (run 'fuzz steps' for the vocabulary)";
            return false;
        }
        return true;
    }
}
