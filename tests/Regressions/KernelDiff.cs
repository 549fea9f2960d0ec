using Fuzz.Model.Kernel;

namespace Fuzz.Regressions;

/// <summary>What one kernel does that another does not: the steps of each recipe it has more of.</summary>
internal static class KernelDiff
{
    /// <summary>(recipe, step) pairs that occur more often in <paramref name="a"/>'s recipe than in <paramref name="b"/>'s.</summary>
    public static IReadOnlyList<(RecipeId Recipe, StepId Step)> StepsOnlyIn(KernelDefinition a, KernelDefinition b)
    {
        var list = new List<(RecipeId, StepId)>();
        foreach (RecipeDraft ra in a.Drafts)
        {
            RecipeDraft rb = b.Draft(ra.Id);
            var counts = new Dictionary<StepId, int>();
            foreach (InstrDraft d in rb.Code) if (d.IsStep && d.Forced is null) counts[d.Step] = counts.GetValueOrDefault(d.Step) + 1;
            foreach (InstrDraft d in ra.Code)
            {
                if (!d.IsStep || d.Forced is not null) continue;
                if (counts.GetValueOrDefault(d.Step) > 0) counts[d.Step]--;
                else list.Add((ra.Id, d.Step));
            }
        }
        return list;
    }
}
