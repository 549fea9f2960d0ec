using Fuzz.Model.Kernel;

namespace Fuzz.Model.Variants;

/// <summary>
/// Edits to named steps of named recipes: remove, move before/after, replace, insert. Each returns
/// the edited recipe or an error text naming what was not found. Labels (the targets of the
/// kernel's gotos) stay in place, so a moved step crosses them as it would in the source.
/// </summary>
public static class VariantEditor
{
    public static RecipeDraft? Remove(RecipeDraft r, string step, out string? error)
    {
        int i = r.Resolve(step, out error);
        if (i < 0) return null;
        var code = r.Code.ToList();
        code.RemoveAt(i);
        return r.With(code);
    }

    public static RecipeDraft? Move(RecipeDraft r, string step, bool before, string anchor, out string? error)
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
        code.RemoveAt(i);
        if (j > i) j--;
        code.Insert(before ? j : j + 1, moved);
        return r.With(code);
    }

    /// <summary>Replace a step by another step of the vocabulary; a check stays a check (same branch).</summary>
    public static RecipeDraft? Replace(RecipeDraft r, string step, string with, out string? error)
    {
        int i = r.Resolve(step, out error);
        if (i < 0) return null;
        if (!ParseNewStep(with, out StepId id, out Operand operand, out error)) return null;
        var code = r.Code.ToList();
        code[i] = code[i] with { Step = id, Operand = operand };
        return r.With(code);
    }

    public static RecipeDraft? Insert(RecipeDraft r, string newStep, bool before, string anchor, out string? error)
    {
        if (!ParseNewStep(newStep, out StepId id, out Operand operand, out error)) return null;
        int j = r.Resolve(anchor, out error);
        if (j < 0) return null;
        var code = r.Code.ToList();
        code.Insert(before ? j : j + 1, new InstrDraft(InstrKind.Step, id, operand));
        return r.With(code);
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
