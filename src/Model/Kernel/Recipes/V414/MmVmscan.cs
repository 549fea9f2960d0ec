using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>mm/vmscan.c: reclaim of one anonymous page.</summary>
internal static class MmVmscan
{
    /// <summary>
    /// mm/vmscan.c: shrink_page_list() (v4.14) for one isolated anonymous page: add it to swap,
    /// unmap it everywhere (try_to_unmap with TTU_BATCH_FLUSH: the CPU flush may be deferred), flush
    /// deferred writable entries before writeback (try_to_unmap_flush_dirty), write it out, freeze
    /// its refcount (__remove_mapping fails if anyone else holds it), and flush everything deferred
    /// before the page is freed (try_to_unmap_flush).
    /// </summary>
    internal static RecipeDraft ShrinkPageList() =>
        new RecipeBuilder(shrink_page_list, "mm/vmscan.c: shrink_page_list() (v4.14)")
            .IfNot(isolate_lru_page, "done")
            .IfNot(trylock_page, "putback")
            .If(PageSwapCache, "unmap")
            .IfNot(add_to_swap, "activate_locked")
            .Label("unmap")
            .Call(try_to_unmap)
            .If(page_mapped, "activate_locked")
            .IfNot(PageDirty, "free")
            .Step(try_to_unmap_flush_dirty)
            .Step(pageout)
            .Label("free")
            .IfNot(__remove_mapping, "activate_locked")
            .Step(unlock_page)
            .Step(try_to_unmap_flush)
            .Step(free_hot_cold_page_list)
            .Return()
            // keep: the page goes back on the LRU only after the deferred flush (putback_inactive_pages
            // runs in the caller, after shrink_page_list's try_to_unmap_flush()).
            .Label("activate_locked")
            .Step(unlock_page)
            .Label("putback")
            .Step(try_to_unmap_flush)
            .Step(putback_lru_page)
            .Label("done")
            .Build();
}
