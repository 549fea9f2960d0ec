using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/swap_state.c: the swap cache on the way in.</summary>
internal static class MmSwapState
{
    /// <summary>
    /// mm/swap_state.c: read_swap_cache_async() (v4.14, swap_state.c:459-470) for the fault's swap
    /// entry: the slot's swap cache page, or a new one whose read is started (swap_readpage) before
    /// it is returned, locked and, with a bio, not yet uptodate. Returns false for NULL (the slot
    /// was freed meanwhile). do_swap_page() reaches it through swapin_readahead(), whose readahead
    /// of neighbouring slots the model leaves out.
    /// </summary>
    internal static RecipeDraft ReadSwapCacheAsync() =>
        new RecipeBuilder(read_swap_cache_async, "mm/swap_state.c: read_swap_cache_async() (v4.14)")
            .IfNot(__read_swap_cache_async, "none")
            .IfNot(page_was_allocated, "done")
            .Call(swap_readpage)
            .Label("done")
            .Return()
            .Label("none")
            .ReturnFailure()
            .Build();
}
