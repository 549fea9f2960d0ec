namespace Fuzz.Model.Kernel;

/// <summary>Writes a recipe the way the kernel function reads: steps, checks with gotos, calls, labels.</summary>
internal sealed class RecipeBuilder
{
    private readonly RecipeId _id;
    private readonly string _source;
    private readonly List<InstrDraft> _code = new();

    public RecipeBuilder(RecipeId id, string source)
    {
        _id = id;
        _source = source;
    }

    public RecipeBuilder Step(StepId step, Operand operand = Operand.None)
    {
        _code.Add(new InstrDraft(InstrKind.Step, step, operand));
        return this;
    }

    /// <summary>Run a check; go to <paramref name="label"/> when it answers yes.</summary>
    public RecipeBuilder If(StepId check, string label, Operand operand = Operand.None)
    {
        _code.Add(new InstrDraft(InstrKind.Check, check, operand, BranchWhen: true, Target: label));
        return this;
    }

    /// <summary>Run a check; go to <paramref name="label"/> when it answers no.</summary>
    public RecipeBuilder IfNot(StepId check, string label, Operand operand = Operand.None)
    {
        _code.Add(new InstrDraft(InstrKind.Check, check, operand, BranchWhen: false, Target: label));
        return this;
    }

    public RecipeBuilder Call(RecipeId callee)
    {
        _code.Add(new InstrDraft(InstrKind.Call, Callee: callee));
        return this;
    }

    /// <summary>Call; go to <paramref name="label"/> when the callee fails ("if (callee()) goto label;").</summary>
    public RecipeBuilder CallIfNot(RecipeId callee, string label)
    {
        _code.Add(new InstrDraft(InstrKind.Call, Callee: callee, BranchWhen: false, Target: label));
        return this;
    }

    /// <summary>Call; go to <paramref name="label"/> when the callee succeeds.</summary>
    public RecipeBuilder CallIf(RecipeId callee, string label)
    {
        _code.Add(new InstrDraft(InstrKind.Call, Callee: callee, BranchWhen: true, Target: label));
        return this;
    }

    /// <summary>for each mapping of the page (rmap walk) starting at <paramref name="label"/>; to <paramref name="none"/> if there is none.</summary>
    public RecipeBuilder ForEachMapping(string label, string none, Operand which = Operand.Page)
    {
        _code.Add(new InstrDraft(InstrKind.RmapBegin, Operand: which, Target: none));
        _code.Add(new InstrDraft(InstrKind.Label, Label: label));
        return this;
    }

    public RecipeBuilder NextMapping(string label, Operand which = Operand.Page)
    {
        _code.Add(new InstrDraft(InstrKind.RmapNext, Operand: which, Target: label));
        return this;
    }

    public RecipeBuilder ReturnFailure()
    {
        _code.Add(new InstrDraft(InstrKind.Return, BranchWhen: false));
        return this;
    }

    public RecipeBuilder Goto(string label)
    {
        _code.Add(new InstrDraft(InstrKind.Goto, Target: label));
        return this;
    }

    public RecipeBuilder Label(string label)
    {
        _code.Add(new InstrDraft(InstrKind.Label, Label: label));
        return this;
    }

    public RecipeBuilder Return()
    {
        _code.Add(new InstrDraft(InstrKind.Return, BranchWhen: true));
        return this;
    }

    /// <summary>for (addr = start; addr != end; addr += PAGE_SIZE) { ... } starting at <paramref name="label"/>.</summary>
    public RecipeBuilder ForEachPage(string label)
    {
        _code.Add(new InstrDraft(InstrKind.LoopBegin));
        _code.Add(new InstrDraft(InstrKind.Label, Label: label));
        return this;
    }

    public RecipeBuilder NextPage(string label)
    {
        _code.Add(new InstrDraft(InstrKind.LoopEnd, Target: label));
        return this;
    }

    /// <summary>for each PTE page of the range (pmd_offset ... pmd_addr_end), starting at <paramref name="label"/>.</summary>
    public RecipeBuilder ForEachTable(string label)
    {
        _code.Add(new InstrDraft(InstrKind.LoopBegin, Operand: Operand.Pmd));
        _code.Add(new InstrDraft(InstrKind.Label, Label: label));
        return this;
    }

    public RecipeBuilder NextTable(string label)
    {
        _code.Add(new InstrDraft(InstrKind.LoopEnd, Operand: Operand.Pmd, Target: label));
        return this;
    }

    /// <summary>Call with an operand: the callee acts on that range (a notifier call's [start, end)).</summary>
    public RecipeBuilder Call(RecipeId callee, Operand operand)
    {
        _code.Add(new InstrDraft(InstrKind.Call, Operand: operand, Callee: callee));
        return this;
    }

    public RecipeDraft Build() => new(_id, _source, _code.ToArray());
}
