using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Audit;

/// <summary>
/// Points half of a mutant's scenarios at the operations that can reach the mutated recipe (by the
/// recipes' call graph), so that a step only KSM, reclaim or migration runs is exercised as often
/// as the fault path is. The other half keep the default mix, so races with everything else stay.
/// </summary>
public static class AuditFocus
{
    /// <summary>The settings for the focused half of the scenarios, or null when the default mix already reaches the recipe.</summary>
    public static GeneratorSettings? For(KernelDefinition kernel, Mutant m, GeneratorSettings s)
    {
        GeneratorSettings? f = ForRecipe(kernel, m.Recipe, s);
        // A secondary-TLB step can only matter when a secondary TLB exists.
        if (m.Category == StepCategory.SecondaryFlush) f = (f ?? s) with { DevicePercent = 100 };
        return f;
    }

    private static GeneratorSettings? ForRecipe(KernelDefinition kernel, RecipeId recipe, GeneratorSettings s)
    {
        HashSet<OpKind> reach = Reaching(kernel, recipe);
        if (reach.Count == 0) return null;
        bool faultPath = reach.Contains(OpKind.Load) || reach.Contains(OpKind.Store);
        if (faultPath)
        {
            // Reached by every access; aim at the states the recipe handles instead.
            return recipe switch
            {
                // Swap-in reuse races with a zap in the other process that shares the slot.
                RecipeId.do_swap_page => s with
                {
                    PageSwappedWeight = 40, KswapdPercent = 50, KcompactdPercent = 20, ForkPercent = 70, ChildCpuPercent = 100,
                    MadviseWeight = 30, DevicePercent = 90,
                },
                RecipeId.migration_entry_wait => s with { PageSwappedWeight = 40, KswapdPercent = 70, KcompactdPercent = 70 },
                // Swap-in I/O: pages start swapped, and kswapd writes more out.
                RecipeId.read_swap_cache_async or RecipeId.swap_readpage or RecipeId.swap_bio_read =>
                    s with { PageSwappedWeight = 50, KswapdPercent = 70, MadviseWeight = 30, DevicePercent = 80 },
                RecipeId.do_wp_page or RecipeId.wp_page_copy or RecipeId.wp_page_reuse =>
                    // CoW breaks race with zaps in the other process and with the device's stale ATC.
                    s with { ForkPercent = 20, SecondProcessPercent = 100, ReadOnlyPercent = 40, KsmdPercent = 30, StoreWeight = 60, MadviseWeight = 40, DevicePercent = 100 },
                _ => null,
            };
        }
        GeneratorSettings f = s;
        foreach (OpKind k in reach)
        {
            f = k switch
            {
                OpKind.KsmMerge => f with { KsmdPercent = 100, DuplicateValuePercent = 60, SecondProcessPercent = 40 },
                // Reclaim must leave O_DIRECT's pinned pages mapped: pins in the mix.
                OpKind.SwapOut => f with { KswapdPercent = 100, PageSwappedWeight = 30, OdirectWeight = 30, ForkPercent = 0 },
                OpKind.Migrate => f with { KcompactdPercent = 100 },
                OpKind.Fork => f with { ForkPercent = 100 },
                OpKind.MadviseDontneed => f with { MadviseWeight = 60 },
                OpKind.DmaRead or OpKind.DmaWrite => f with { DevicePercent = 100 },
                OpKind.OdirectRead => f with { OdirectWeight = 40, ForkPercent = 0 },
                _ => f,
            };
        }
        return f;
    }

    /// <summary>The operations whose recipe calls, directly or not, the given recipe.</summary>
    public static HashSet<OpKind> Reaching(KernelDefinition kernel, RecipeId recipe)
    {
        var result = new HashSet<OpKind>();
        foreach (OpKind k in Enum.GetValues<OpKind>())
        {
            RecipeId top = Simulator.TopRecipe(k);
            if (Reaches(kernel, top, recipe, new HashSet<RecipeId>())) result.Add(k);
            // The device's page requests run iommu_do_fault on its kernel worker.
            if (k is OpKind.DmaRead or OpKind.DmaWrite && Reaches(kernel, RecipeId.iommu_do_fault, recipe, new HashSet<RecipeId>()))
                result.Add(k);
            // The swap bios an operation submits run on the swap device.
            if (recipe == RecipeId.swap_bio_write && Reaches(kernel, top, RecipeId.swap_writepage, new HashSet<RecipeId>())) result.Add(k);
            if (recipe == RecipeId.swap_bio_read && Reaches(kernel, top, RecipeId.swap_readpage, new HashSet<RecipeId>())) result.Add(k);
        }
        return result;
    }

    private static bool Reaches(KernelDefinition kernel, RecipeId from, RecipeId to, HashSet<RecipeId> seen)
    {
        if (from == to) return true;
        if (!seen.Add(from)) return false;
        foreach (InstrDraft d in kernel.Draft(from).Code)
        {
            if (d.Kind == InstrKind.Call && Reaches(kernel, d.Callee, to, seen)) return true;
            // A notifier step calls the SVA driver's callback recipe.
            if (d.IsStep && NotifierCallbacks.Callee(kernel.Knobs, d.Step) is { } callee && Reaches(kernel, callee, to, seen)) return true;
        }
        return false;
    }
}
