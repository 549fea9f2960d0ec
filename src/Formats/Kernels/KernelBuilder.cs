using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Variants;

namespace Fuzz.Formats.Kernels;

/// <summary>
/// A kernel being derived from its base by the edit lines of variant files: it parses one edit
/// (the grammar README "Kernels and variants" gives) and applies it with <see cref="VariantEditor"/>,
/// keeping the edit's text so that an including file can apply it again.
/// </summary>
internal sealed class KernelBuilder
{
    private readonly List<RecipeDraft> _drafts;
    private readonly List<string> _edits;
    private KernelKnobs _knobs;

    public KernelBuilder(KernelDefinition baseKernel)
    {
        BaseName = baseKernel.Root;
        _drafts = baseKernel.Drafts.ToList();
        _edits = baseKernel.Edits.ToList();
        _knobs = baseKernel.Knobs;
    }

    /// <summary>The built-in kernel at the root of the base chain.</summary>
    public string BaseName { get; }

    public KernelDefinition Build(string name, Expectation? expect, string? pinnedBy) =>
        new(name, _knobs, _drafts, _edits, BaseName, expect, pinnedBy);

    /// <summary>
    /// Apply one edit line (with the indented lines of a block insert, each with its line number);
    /// returns an error, and in <paramref name="errorLine"/> the block line it concerns (0: the edit line).
    /// </summary>
    public string? Apply(string text, IReadOnlyList<(int Line, string Text)> block, out int errorLine)
    {
        errorLine = 0;
        string head = text.Trim();
        bool isBlock = head.EndsWith(':');
        if (isBlock) head = head[..^1].TrimEnd();
        string? branch = null;
        int comma = head.IndexOf(',');
        if (comma >= 0)
        {
            branch = head[(comma + 1)..].Trim();
            head = head[..comma].TrimEnd();
        }
        string[] w = head.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        RecipeId? caller = null;
        if (w.Length >= 2 && w[^2] == "in")
        {
            if (!KernelDefinition.TryParseRecipe(w[^1], out RecipeId c)) return $"unknown recipe '{Token.Show(w[^1])}' after 'in'";
            caller = c;
            w = w[..^2];
        }
        if (w.Length == 3 && w[0] == "set")
        {
            if (caller is not null || branch is not null || isBlock) return "write 'set KNOB VALUE'";
            _knobs = _knobs.With(w[1], w[2], out string? kerr);
            if (kerr is not null) return kerr;
            _edits.Add(text.Trim());
            return null;
        }
        if (w.Length < 3) return Grammar;
        if (!KernelDefinition.TryParseRecipe(w[1], out RecipeId rid))
            return $"unknown recipe '{Token.Show(w[1])}'; recipes are: {string.Join(", ", Enum.GetValues<RecipeId>())}";
        if (caller is { } cr && !Calls(cr, rid, new HashSet<RecipeId>()))
            return $"{cr} does not call {rid} (directly or through other recipes), so '{rid} ... in {cr}' edits nothing";
        int index = _drafts.FindIndex(d => d.Id == rid);
        RecipeDraft r = _drafts[index];
        string? error = null;
        RecipeDraft? edited = (w[0], w.Length) switch
        {
            ("remove", 3) when branch is null && !isBlock => VariantEditor.Remove(r, w[2], caller, out error),
            ("move", 5) when w[3] is "before" or "after" && branch is null && !isBlock => VariantEditor.Move(r, w[2], w[3] == "before", w[4], caller, out error),
            ("replace", 5) when w[3] == "with" && branch is null && !isBlock => VariantEditor.Replace(r, w[2], w[4], caller, out error),
            ("force", 4) when w[3] is "true" or "false" && branch is null && !isBlock => VariantEditor.Force(r, w[2], w[3] == "true", caller, out error),
            ("insert", 5) when w[3] is "before" or "after" && !isBlock => InsertOne(r, w[2], branch, w[3] == "before", w[4], caller, out error),
            ("insert", 4) when w[2] is "before" or "after" && isBlock && branch is null => InsertBlock(r, block, w[2] == "before", w[3], caller, out error, out errorLine),
            _ => Unknown(out error),
        };
        if (edited is null) return error;
        string? target = TargetCheck.AddressAfterWalk(edited, id => id == rid ? edited : _drafts.First(d => d.Id == id));
        if (target is not null) return target;
        _drafts[index] = edited;
        _edits.Add(block.Count == 0 ? text.Trim() : text.Trim() + "\n" + string.Join("\n", block.Select(b => "    " + b.Text)));
        return null;
    }

    private const string Grammar =
        "edits are: remove RECIPE STEP | move RECIPE STEP before|after STEP | replace RECIPE STEP with STEP | " +
        "insert RECIPE STEP before|after STEP[, if -> LABEL | , if not -> LABEL] | insert RECIPE before|after STEP: (an indented block) | " +
        "force RECIPE CHECK true|false | set KNOB VALUE; any but set may end with 'in CALLER'";

    private static RecipeDraft? Unknown(out string? error)
    {
        error = Grammar;
        return null;
    }

    private static RecipeDraft? InsertOne(RecipeDraft r, string step, string? branch, bool before, string anchor, RecipeId? caller, out string? error)
    {
        InstrDraft? d = ParseInstr(step + (branch is null ? "" : " " + branch), out error);
        if (d is null || d.Kind is InstrKind.Label or InstrKind.Goto)
        {
            error ??= "insert one step here; write a block ('insert RECIPE after STEP:') for labels and gotos";
            return null;
        }
        return VariantEditor.Insert(r, [d], before, anchor, caller, out error);
    }

    private static RecipeDraft? InsertBlock(RecipeDraft r, IReadOnlyList<(int Line, string Text)> block, bool before, string anchor, RecipeId? caller,
        out string? error, out int errorLine)
    {
        errorLine = 0;
        var code = new List<InstrDraft>();
        foreach (var (line, text) in block)
        {
            InstrDraft? d = ParseInstr(text, out error);
            if (d is null)
            {
                errorLine = line;
                return null;
            }
            code.Add(d);
        }
        return VariantEditor.Insert(r, code, before, anchor, caller, out error);
    }

    /// <summary>One instruction as a listing writes it: STEP, CHECK if -> LABEL, CHECK if not -> LABEL, goto LABEL, LABEL:.</summary>
    private static InstrDraft? ParseInstr(string text, out string? error)
    {
        error = null;
        string[] w = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (w.Length == 1 && w[0].EndsWith(':') && w[0].Length > 1) return new InstrDraft(InstrKind.Label, Label: w[0][..^1]);
        if (w.Length == 2 && w[0] == "goto") return new InstrDraft(InstrKind.Goto, Target: w[1]);
        if (w.Length == 1 && !StepCatalog.TryParse(w[0], out _) && KernelDefinition.TryParseRecipe(w[0], out RecipeId callee))
            return new InstrDraft(InstrKind.Call, Callee: callee);
        if (w.Length == 0 || !VariantEditor.ParseNewStep(w[0], out StepId id, out Operand operand, out error)) return null;
        if (w.Length == 1) return new InstrDraft(InstrKind.Step, id, operand);
        if (w.Length == 4 && w[1] == "if" && w[2] == "->") return new InstrDraft(InstrKind.Check, id, operand, BranchWhen: true, Target: w[3]);
        if (w.Length == 5 && w[1] == "if" && w[2] == "not" && w[3] == "->") return new InstrDraft(InstrKind.Check, id, operand, BranchWhen: false, Target: w[4]);
        error = $"'{Token.Show(text)}': write STEP, CHECK if -> LABEL, CHECK if not -> LABEL, goto LABEL or LABEL:";
        return null;
    }

    /// <summary>Whether <paramref name="caller"/> reaches <paramref name="callee"/> through calls.</summary>
    private bool Calls(RecipeId caller, RecipeId callee, HashSet<RecipeId> seen)
    {
        if (!seen.Add(caller)) return false;
        foreach (InstrDraft d in _drafts.First(x => x.Id == caller).Code)
        {
            // A notifier step calls the SVA driver's callback recipe.
            if (d.IsStep)
            {
                foreach (RecipeId driver in NotifierCallbacks.CalleesUnderAnyDriver(d.Step))
                {
                    if (driver == callee || Calls(driver, callee, seen)) return true;
                }
                continue;
            }
            if (d.Kind != InstrKind.Call) continue;
            if (d.Callee == callee || Calls(d.Callee, callee, seen)) return true;
        }
        return false;
    }
}
