namespace Fuzz.Search.Audit;

/// <summary>Why the audit expects the removal of a step to be caught (issue acceptance: each must be).</summary>
public enum Requirement : byte
{
    None,
    /// <summary>A CPU TLB flush, or the deferral that guarantees one (batched reclaim).</summary>
    CpuTlbFlush,
    /// <summary>A secondary-TLB invalidation guarding a PTE pointed at a new page, or a page about to be freed.</summary>
    SecondaryInvalidation,
    /// <summary>tlb_finish_mmu's mm_tlb_flush_nested() check (99baac21e458).</summary>
    NestedFlush,
    /// <summary>flush_tlb_batched_pending() before a path that relies on a flushed TLB (3ea277194daa).</summary>
    BatchedPending,
    /// <summary>A pte_same()/pte_none()/check_pte() recheck under the PTL of a PTE read earlier.</summary>
    PteRecheck,
    /// <summary>A refcount, mapcount or pin check deciding whether a page is ours alone.</summary>
    RefcountCheck,
}
