namespace Fuzz.Model.Kernel;

/// <summary>The mmu_notifier_ops callbacks the v4.14 SVA drivers implement (besides ->release).</summary>
public enum NotifierCallback : byte
{
    /// <summary>->invalidate_range(mn, mm, start, end): from mmu_notifier_invalidate_range() and, in
    /// v4.14, from mmu_notifier_invalidate_range_end() (mm/mmu_notifier.c:192-214).</summary>
    InvalidateRange,
    /// <summary>->change_pte(mn, mm, address, pte): from set_pte_at_notify().</summary>
    ChangePte,
    /// <summary>->clear_flush_young(mn, mm, start, end): from ptep_clear_flush_young_notify().</summary>
    ClearFlushYoung,
}

/// <summary>
/// Which recipe each driver runs for a callback: the driver's mmu_notifier_ops, as data. A callback
/// the driver does not implement is null (the notifier call does nothing for it).
/// <list type="bullet">
/// <item>amd_iommu_v2 (drivers/iommu/amd_iommu_v2.c:429-433): .clear_flush_young = mn_clear_flush_young,
/// .invalidate_range = mn_invalidate_range; no change_pte.</item>
/// <item>intel-svm (drivers/iommu/intel-svm.c:278-282): .change_pte = intel_change_pte,
/// .invalidate_range = intel_invalidate_range; no clear_flush_young.</item>
/// </list>
/// </summary>
public static class NotifierCallbacks
{
    public static RecipeId? Of(IommuDriver driver, NotifierCallback callback) => (driver, callback) switch
    {
        (IommuDriver.AmdIommuV2, NotifierCallback.InvalidateRange) => RecipeId.mn_invalidate_range,
        (IommuDriver.AmdIommuV2, NotifierCallback.ClearFlushYoung) => RecipeId.mn_clear_flush_young,
        (IommuDriver.IntelSvm, NotifierCallback.InvalidateRange) => RecipeId.intel_invalidate_range,
        (IommuDriver.IntelSvm, NotifierCallback.ChangePte) => RecipeId.intel_change_pte,
        _ => null,
    };

    /// <summary>The callback a notifier step invokes, or null for a step that calls no driver.</summary>
    public static NotifierCallback? OfStep(StepId step) => step switch
    {
        StepId.mmu_notifier_invalidate_range or StepId.mmu_notifier_invalidate_range_end => NotifierCallback.InvalidateRange,
        StepId.mmu_notifier_change_pte => NotifierCallback.ChangePte,
        _ => null,
    };

    /// <summary>The driver recipes a step may call under any driver (the knob may be set after an edit that needs the call graph).</summary>
    public static IEnumerable<RecipeId> CalleesUnderAnyDriver(StepId step)
    {
        if (OfStep(step) is not { } cb) yield break;
        foreach (IommuDriver d in Enum.GetValues<IommuDriver>())
        {
            if (Of(d, cb) is { } r) yield return r;
        }
    }

    /// <summary>The driver recipe a step of a recipe may call (for call-graph questions such as the audit's focus).</summary>
    public static RecipeId? Callee(KernelKnobs knobs, StepId step) =>
        OfStep(step) is { } cb ? Of(knobs.Iommu, cb) : null;
}
