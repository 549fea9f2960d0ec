using Fuzz.Model.Kernel;

namespace Fuzz.Search.Audit;

/// <summary>
/// The audit's mutants of a kernel: for every recipe, each kernel step removed, and each flush or
/// notify step moved past the next unlock after it. Hardware steps (the MMU, the device's DMA and
/// ATS) and the device's own flow are not kernel code and are left alone.
/// </summary>
public static class MutantCatalog
{
    public static IReadOnlyList<Mutant> Of(KernelDefinition kernel)
    {
        var list = new List<Mutant>();
        foreach (RecipeDraft r in kernel.Drafts)
        {
            if (r.Id == RecipeId.device_access) continue;
            foreach (int i in r.StepIndices())
            {
                InstrDraft d = r.Code[i];
                StepCategory category = StepCatalog.Info(d.Step).Category;
                if (category == StepCategory.Hardware) continue;
                string reference = r.ReferenceOf(i);
                list.Add(new Mutant(r.Id, MutationKind.Remove, reference, category, null, Requirements.Of(r.Id, reference)));
                if (category is not (StepCategory.TlbFlush or StepCategory.SecondaryFlush)) continue;
                int unlock = NextUnlock(r, i);
                if (unlock >= 0)
                    list.Add(new Mutant(r.Id, MutationKind.MovePastUnlock, reference, category, r.ReferenceOf(unlock), Requirement.None));
            }
        }
        return list;
    }

    /// <summary>The first unlock step after <paramref name="index"/> in the recipe's text, or -1.</summary>
    private static int NextUnlock(RecipeDraft r, int index)
    {
        foreach (int j in r.StepIndices())
        {
            if (j > index && StepCatalog.Info(r.Code[j].Step).Category == StepCategory.Unlock) return j;
        }
        return -1;
    }
}
