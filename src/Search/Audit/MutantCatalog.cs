using Fuzz.Model.Kernel;

namespace Fuzz.Search.Audit;

/// <summary>
/// The audit's mutants of a kernel: for every recipe, each kernel step removed, each check forced
/// to answer yes and to answer no (removing a check would only fall through one way; "this
/// condition is always false" is what a kernel engineer asks), each call of another recipe removed,
/// and each flush or notify step moved past the next unlock after it. Hardware steps (the MMU, the
/// device's DMA and ATS) and the device's own flow are not kernel code and are left alone.
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
                if (d.Kind == InstrKind.Check)
                {
                    // The branch the kernel takes when the check answers "yes" is needed exactly
                    // when forcing "no" is caught, and the other way round.
                    // A check with an effect cannot answer yes without running; removing it (the
                    // effect and the branch gone, falling through) is its other mutant.
                    list.Add(StepCatalog.Info(d.Step).Predicate
                        ? new Mutant(r.Id, MutationKind.ForceTrue, reference, category, null, Requirements.Of(r.Id, reference, forced: true))
                        : new Mutant(r.Id, MutationKind.Remove, reference, category, null, Requirements.Of(r.Id, reference)));
                    list.Add(new Mutant(r.Id, MutationKind.ForceFalse, reference, category, null, Requirements.Of(r.Id, reference, forced: false)));
                    continue;
                }
                list.Add(new Mutant(r.Id, MutationKind.Remove, reference, category, null, Requirements.Of(r.Id, reference)));
                if (category is not (StepCategory.TlbFlush or StepCategory.SecondaryFlush)) continue;
                int unlock = NextUnlock(r, i);
                if (unlock >= 0)
                    list.Add(new Mutant(r.Id, MutationKind.MovePastUnlock, reference, category, r.ReferenceOf(unlock), Requirement.None));
            }
            for (int i = 0; i < r.Code.Count; i++)
            {
                InstrDraft d = r.Code[i];
                if (d.Kind != InstrKind.Call || !CallIsRemovable(d.Callee)) continue;
                string reference = r.ReferenceOf(i);
                list.Add(new Mutant(r.Id, MutationKind.Remove, reference, StepCategory.Task, null, Requirements.Of(r.Id, reference)));
            }
        }
        return list;
    }

    /// <summary>
    /// Calls whose removal asks a question: a safety function called from several places
    /// (flush_tlb_batched_pending, tlb_flush_mmu_tlbonly, the notifier's driver), not the fault
    /// handler's dispatch to its cases or the walk's per-mapping body, whose removal only makes an
    /// operation do nothing.
    /// </summary>
    private static bool CallIsRemovable(RecipeId callee) => callee is
        RecipeId.flush_tlb_batched_pending or RecipeId.tlb_flush_mmu_tlbonly or RecipeId.tlb_flush_mmu or RecipeId.break_cow;

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
