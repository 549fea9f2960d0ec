namespace Fuzz.Model.Kernel;

/// <summary>
/// What a step applies to, when the same kernel function is called on different things in one
/// recipe: put_page(old_page) versus put_page(new_page), or an mmu_notifier call for one address
/// versus the whole range.
/// </summary>
public enum Operand : byte
{
    /// <summary>The step's usual object: the current address in the current mm.</summary>
    None,
    /// <summary>vmf->page / the page of the PTE being handled (old page in a CoW).</summary>
    Page,
    /// <summary>The freshly allocated page (new_page in wp_page_copy).</summary>
    NewPage,
    /// <summary>The fork child's mm (dst_mm in copy_pte_range).</summary>
    Child,
    /// <summary>The operation's whole range [start, end).</summary>
    WholeRange,
    /// <summary>The range recorded in the mmu_gather (tlb->start, tlb->end).</summary>
    Gather,
    /// <summary>The kernel's earlier, lockless copy of the PTE (vmf->orig_pte) rather than *pte.</summary>
    Orig,
    /// <summary>KSM's second page, from the unstable tree (tree_page).</summary>
    Tree,
    /// <summary>The KSM page a page is merged into (kpage).</summary>
    KPage,
    /// <summary>The value a clear returned (pteval in try_to_unmap_one, entry in write_protect_page).</summary>
    PteVal,
    /// <summary>Where migration entries are turned back into a page: the new page on success, else the old.</summary>
    Target,
    /// <summary>The page get_user_pages_fast pinned.</summary>
    Pin,
    /// <summary>An rmap walk over migration entries rather than present PTEs.</summary>
    Migration,
    /// <summary>A loop over the PTE pages of the range (zap_pmd_range, copy_pmd_range) rather than over pages.</summary>
    Pmd,
    /// <summary>break_ksm()'s page: the page follow_page() found at the address, held while it is write-faulted.</summary>
    BreakPage,
    /// <summary>A page count taken as the swap-in path sees it: its own and the swap cache's references discounted.</summary>
    SwapCache,
}

public static class OperandNames
{
    public static string Of(Operand o) => o switch
    {
        Operand.Page => "page",
        Operand.NewPage => "new_page",
        Operand.Child => "dst_mm",
        Operand.WholeRange => "range",
        Operand.Gather => "tlb",
        Operand.Orig => "orig_pte",
        Operand.Tree => "tree_page",
        Operand.KPage => "kpage",
        Operand.PteVal => "pteval",
        Operand.Target => "new",
        Operand.Pin => "pinned",
        Operand.Migration => "migration",
        Operand.SwapCache => "swapcache",
        Operand.BreakPage => "break_page",
        Operand.Pmd => "pmd",
        _ => "",
    };

    public static bool TryParse(string s, out Operand o)
    {
        foreach (Operand c in Enum.GetValues<Operand>())
        {
            if (c != Operand.None && Of(c) == s)
            {
                o = c;
                return true;
            }
        }
        o = Operand.None;
        return false;
    }
}
