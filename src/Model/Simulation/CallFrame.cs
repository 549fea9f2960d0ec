using System.Runtime.CompilerServices;
using Fuzz.Model.Kernel;

namespace Fuzz.Model.Simulation;

/// <summary>A recipe activation: which recipe, and the next instruction in it.</summary>
public struct CallFrame
{
    public RecipeId Recipe;
    public short Pc;
}

/// <summary>
/// Fixed-depth call stack: cpu_access -> do_page_fault -> handle_mm_fault -> do_swap_page ->
/// do_wp_page -> wp_page_copy -> mn_invalidate_range -> __flush_pasid is the deepest v4.14 path.
/// </summary>
[InlineArray(Depth)]
public struct CallStack
{
    public const int Depth = 10;
    private CallFrame _frame;
}

/// <summary>The pages an mmu_gather holds until its flush (tlb->local.pages).</summary>
[InlineArray(Machine.Limits.GatherBatch)]
public struct GatherPages
{
    private short _pfn;
}

/// <summary>One PTE version per virtual page.</summary>
[InlineArray(Machine.Limits.MaxPages)]
public struct PageVersions
{
    private int _version;
}
