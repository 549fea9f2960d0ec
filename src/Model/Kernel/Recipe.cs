namespace Fuzz.Model.Kernel;

/// <summary>A compiled recipe: instructions with resolved jump targets, ready for the simulator.</summary>
public sealed class Recipe
{
    public RecipeId Id { get; }
    public RecipeDraft Draft { get; }
    public Instr[] Code { get; }

    private Recipe(RecipeId id, RecipeDraft draft, Instr[] code)
    {
        Id = id;
        Draft = draft;
        Code = code;
    }

    /// <summary>Resolve labels; throws <see cref="InvalidOperationException"/> on a dangling or duplicate label.</summary>
    public static Recipe Compile(RecipeDraft draft)
    {
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < draft.Code.Count; i++)
        {
            InstrDraft d = draft.Code[i];
            if (d.Kind != InstrKind.Label) continue;
            if (!labels.TryAdd(d.Label!, i))
                throw new InvalidOperationException($"recipe {draft.Name}: label '{d.Label}' defined twice");
        }
        var code = new Instr[draft.Code.Count];
        var seen = new int[StepCatalog.Count];
        for (int i = 0; i < code.Length; i++)
        {
            InstrDraft d = draft.Code[i];
            short target = -1;
            if (d.Target is not null)
            {
                if (!labels.TryGetValue(d.Target, out int t))
                    throw new InvalidOperationException($"recipe {draft.Name}: jump to unknown label '{d.Target}'");
                target = (short)t;
            }
            byte occurrence = 0;
            if (d.IsStep) occurrence = (byte)++seen[(int)d.Step];
            code[i] = new Instr(d.Kind, d.Step, d.Operand, d.BranchWhen, target, d.Callee, occurrence,
                d.Forced is { } f ? (sbyte)(f ? 1 : 0) : (sbyte)-1,
                d.Guard is { } g ? (byte)g : Instr.NoGuard, d.GuardInside);
        }
        return new Recipe(draft.Id, draft, code);
    }
}
