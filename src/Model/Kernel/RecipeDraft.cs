namespace Fuzz.Model.Kernel;

/// <summary>A recipe as data: its kernel source reference and its instructions, before compilation.</summary>
public sealed class RecipeDraft
{
    public RecipeId Id { get; }
    public string Name => Id.ToString();
    /// <summary>Where the recipe comes from, e.g. "mm/memory.c: wp_page_copy() (v4.14)".</summary>
    public string Source { get; }
    public IReadOnlyList<InstrDraft> Code { get; }

    public RecipeDraft(RecipeId id, string source, IReadOnlyList<InstrDraft> code)
    {
        Id = id;
        Source = source;
        Code = code;
    }

    public RecipeDraft With(IReadOnlyList<InstrDraft> code) => new(Id, Source, code);

    /// <summary>Indices (into <see cref="Code"/>) of the kernel steps, in order.</summary>
    public IEnumerable<int> StepIndices()
    {
        for (int i = 0; i < Code.Count; i++)
        {
            if (Code[i].IsStep) yield return i;
        }
    }

    /// <summary>
    /// The text that names the step at <paramref name="index"/> unambiguously in this recipe:
    /// "flush_tlb_page", "put_page(new_page)" or "put_page(page)#2" (the bare name also resolves
    /// when the step occurs once).
    /// </summary>
    public string ReferenceOf(int index)
    {
        InstrDraft target = Code[index];
        if (target.Kind == InstrKind.Call)
        {
            int calls = 0, nth = 0;
            for (int i = 0; i < Code.Count; i++)
            {
                if (Code[i].Kind != InstrKind.Call || Code[i].Callee != target.Callee) continue;
                calls++;
                if (i <= index) nth = calls;
            }
            return calls == 1 ? target.Callee.ToString() : $"{target.Callee}#{nth}";
        }
        int sameName = 0, sameText = 0, ordinal = 0;
        foreach (int i in StepIndices())
        {
            InstrDraft d = Code[i];
            if (d.Step != target.Step) continue;
            sameName++;
            if (d.Operand == target.Operand)
            {
                sameText++;
                if (i <= index) ordinal = sameText;
            }
        }
        return sameText == 1 || sameName == 1 ? target.StepText : $"{target.StepText}#{ordinal}";
    }

    private int ResolveCall(string reference, RecipeId callee, int occurrence, out string? error)
    {
        error = null;
        var calls = new List<int>();
        for (int i = 0; i < Code.Count; i++)
        {
            if (Code[i].Kind == InstrKind.Call && Code[i].Callee == callee) calls.Add(i);
        }
        if (calls.Count == 0)
        {
            error = $"recipe {Name} does not call {callee}";
            return -1;
        }
        if (occurrence == 0 && calls.Count == 1) return calls[0];
        if (occurrence == 0)
        {
            error = $"'{reference}': {Name} calls {callee} {calls.Count} times; write {callee}#1 .. #{calls.Count}";
            return -1;
        }
        if (occurrence > calls.Count)
        {
            error = $"'{reference}': {Name} calls {callee} only {calls.Count} time(s)";
            return -1;
        }
        return calls[occurrence - 1];
    }

    /// <summary>
    /// Resolve a step reference written as name, name(operand), name#n or name(operand)#n.
    /// Returns the instruction index, or an error message naming the candidates.
    /// </summary>
    public int Resolve(string reference, out string? error)
    {
        error = null;
        string text = reference;
        int occurrence = 0;
        int hash = text.LastIndexOf('#');
        if (hash >= 0)
        {
            if (!int.TryParse(text[(hash + 1)..], out occurrence) || occurrence < 1)
            {
                error = $"'{reference}': the occurrence after '#' must be a number from 1";
                return -1;
            }
            text = text[..hash];
        }
        Operand? operand = null;
        int paren = text.IndexOf('(');
        if (paren >= 0)
        {
            if (!text.EndsWith(')'))
            {
                error = $"'{reference}': expected name(operand)";
                return -1;
            }
            string op = text[(paren + 1)..^1];
            if (!OperandNames.TryParse(op, out Operand o))
            {
                error = $"'{reference}': unknown operand '{op}'";
                return -1;
            }
            operand = o;
            text = text[..paren];
        }
        if (!StepCatalog.TryParse(text, out StepId step))
        {
            // A recipe's name stands for the calls of it in this recipe: calls are edited like steps.
            if (operand is null && KernelDefinition.TryParseRecipe(text, out RecipeId callee))
                return ResolveCall(reference, callee, occurrence, out error);
            error = $"unknown step '{text}'";
            return -1;
        }
        var matches = new List<int>();
        foreach (int i in StepIndices())
        {
            if (Code[i].Step == step && (operand is null || Code[i].Operand == operand)) matches.Add(i);
        }
        // A bare name stands for the step without an operand once the name occurs with several
        // (follow_page vs follow_page(tree_page)), as ReferenceOf writes it.
        if (operand is null && matches.Any(i => Code[i].Operand == Operand.None) && matches.Any(i => Code[i].Operand != Operand.None))
            matches = matches.Where(i => Code[i].Operand == Operand.None).ToList();
        if (matches.Count == 0)
        {
            string calls = string.Join(", ", Enumerable.Range(0, Code.Count).Where(i => Code[i].Kind == InstrKind.Call).Select(ReferenceOf));
            error = $"recipe {Name} has no step '{reference}'; its steps are: {string.Join(", ", StepIndices().Select(ReferenceOf))}" +
                (calls.Length > 0 ? $"; it calls: {calls}" : "");
            return -1;
        }
        if (occurrence == 0)
        {
            if (matches.Count == 1) return matches[0];
            error = $"'{reference}' occurs {matches.Count} times in {Name}; write one of: {string.Join(", ", matches.Select(ReferenceOf))}";
            return -1;
        }
        if (occurrence > matches.Count)
        {
            error = $"'{reference}': {Name} has only {matches.Count} such step(s)";
            return -1;
        }
        return matches[occurrence - 1];
    }
}
