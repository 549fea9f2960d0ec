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
        _code.Add(new InstrDraft(InstrKind.Return));
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

    public RecipeDraft Build() => new(_id, _source, _code.ToArray());
}
