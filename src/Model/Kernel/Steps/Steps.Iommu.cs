using System.Numerics;
using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// The v4.14 SVA drivers' invalidation: each command the driver queues to the IOMMU and each wait
/// for its completion is its own step, so that a variant can reorder the two caches' invalidations
/// or drop a wait. The range is the notifier's (<see cref="OpContext.NotifyFirst"/>..NotifyLast).
/// The IOMMU executes the queued commands as hardware actions (Simulation/Simulator.Iommu.cs).
/// </summary>
internal static partial class Steps
{
    [Step(StepCategory.Check, "(start ^ (end - 1)) < PAGE_SIZE: the range lies within one page (mn_invalidate_range)", Local = true, Predicate = true)]
    internal static bool single_page_range(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.Trace.Last.Va = (sbyte)c.NotifyFirst;
        s.Trace.Last.Detail = c.NotifyLast;
        return c.NotifyFirst == c.NotifyLast;
    }

    [Step(StepCategory.SecondaryFlush, "amd_iommu_flush_page(domain, pasid, start): __flush_pasid() of the page at start", Local = true)]
    internal static bool amd_iommu_flush_page(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.NotifyLast = c.NotifyFirst;
        s.Trace.Last.Va = (sbyte)c.NotifyFirst;
        return true;
    }

    [Step(StepCategory.SecondaryFlush, "amd_iommu_flush_tlb(domain, pasid): __flush_pasid() of the whole PASID (CMD_INV_IOMMU_ALL_PAGES_ADDRESS)", Local = true)]
    internal static bool amd_iommu_flush_tlb(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        c.NotifyFirst = 0;
        c.NotifyLast = s.M.Pages - 1;
        s.Trace.Last.Va = -1;
        return true;
    }

    [Step(StepCategory.SecondaryFlush, "iommu_queue_command(INVALIDATE_IOMMU_PAGES): queue the flush of the IOMMU's TLB for the PASID's range", Ready = nameof(IommuQueueRoom))]
    internal static bool build_inv_iommu_pasid(Simulator s, int ai, in Instr ins) =>
        Queue(s, ai, IommuCommandKind.IotlbPages, s.Agents[ai].Ctx.NotifyFirst, s.Agents[ai].Ctx.NotifyLast);

    [Step(StepCategory.SecondaryFlush, "iommu_queue_command(INVALIDATE_IOTLB_PAGES): queue an ATS Invalidate Request of the range to the device", Ready = nameof(IommuQueueRoom))]
    internal static bool build_inv_iotlb_pasid(Simulator s, int ai, in Instr ins) =>
        Queue(s, ai, IommuCommandKind.DevicePages, s.Agents[ai].Ctx.NotifyFirst, s.Agents[ai].Ctx.NotifyLast);

    [Step(StepCategory.Wait, "domain_flush_complete(): COMPLETION_WAIT, then spin on cmd_sem until the commands queued before it completed", Ready = nameof(OwnCommandsComplete))]
    internal static bool domain_flush_complete(Simulator s, int ai, in Instr ins) => true;

    /// <summary>
    /// The PASID-based IOTLB invalidation of intel_flush_svm_range_dev() (intel-svm.c:173-179):
    /// page-selective with AM = ilog2(__roundup_pow_of_two(pages)) at the given address. The
    /// hardware masks the address's low AM bits (VT-d: invalidation of "size-aligned regions"), so
    /// it invalidates the 2^AM-page block that contains the start, which does not cover the range
    /// when the start is not aligned to it (v6.12 computes an aligned block that covers the range:
    /// drivers/iommu/intel/cache.c, calculate_psi_aligned_address()).
    /// </summary>
    [Step(StepCategory.SecondaryFlush, "qi_submit_sync(QI_EIOTLB): queue a PASID-based IOTLB invalidation (page-selective, 2^AM pages at the start's aligned block) and its wait descriptor", Ready = nameof(IommuQueueRoom))]
    internal static bool QI_EIOTLB(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int pages = c.NotifyLast - c.NotifyFirst + 1;
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)pages);
        int first = c.NotifyFirst & ~(size - 1);
        return Queue(s, ai, IommuCommandKind.IotlbPages, first, first + size - 1);
    }

    /// <summary>
    /// The device-IOTLB invalidation of intel_flush_svm_range_dev() (intel-svm.c:183-199): for more
    /// than one page, address (address &amp; ~mask) | (mask - 1) with the size bit, mask =
    /// __rounddown_pow_of_two(address ^ last): the aligned block of twice that size, which covers
    /// [address, last].
    /// </summary>
    [Step(StepCategory.SecondaryFlush, "qi_submit_sync(QI_DEIOTLB): queue a device-IOTLB invalidation (an ATS Invalidate Request covering the range) and its wait descriptor", Ready = nameof(IommuQueueRoom))]
    internal static bool QI_DEIOTLB(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int first = c.NotifyFirst, last = c.NotifyLast;
        if (last > first)
        {
            int size = 2 * (int)(1u << BitOperations.Log2((uint)(first ^ last)));
            first &= ~(size - 1);
            last = first + size - 1;
        }
        return Queue(s, ai, IommuCommandKind.DevicePages, first, last);
    }

    [Step(StepCategory.Wait, "qi_submit_sync(): spin until the wait descriptor queued after the descriptor reads QI_DONE", Ready = nameof(OwnCommandsComplete))]
    internal static bool qi_submit_sync(Simulator s, int ai, in Instr ins) => true;

    /// <summary>
    /// Not in v4.14: mainline's drivers/iommu/intel/cache.c calculate_psi_aligned_address() (v6.12:
    /// "PSI masks the low order bits of the base address. If the address isn't aligned to the mask,
    /// then compute a mask value needed to ensure the target range is flushed"): the smallest
    /// aligned power-of-two block that covers [start, end], so that a page-selective invalidation
    /// at its base covers the range. A fix variant inserts it before QI_EIOTLB.
    /// </summary>
    [Step(StepCategory.SecondaryFlush, "(later kernels) widen the range to the aligned power-of-two block that covers it, for a page-selective invalidation", Local = true)]
    internal static bool calculate_psi_aligned_address(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        int first = c.NotifyFirst, last = c.NotifyLast;
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)(last - first + 1));
        if ((first & (size - 1)) != 0)
        {
            // The lowest bit above the mask where start and end agree bounds the block that holds both.
            int shared = ~(first ^ last) & ~(size - 1);
            size = 1 << BitOperations.TrailingZeroCount(shared);
        }
        c.NotifyFirst = first & ~(size - 1);
        c.NotifyLast = c.NotifyFirst + size - 1;
        s.Trace.Last.Va = (sbyte)c.NotifyFirst;
        s.Trace.Last.Detail = Math.Min(s.M.Pages - 1, c.NotifyLast);
        return true;
    }

    private static bool Queue(Simulator s, int ai, IommuCommandKind kind, int first, int last)
    {
        s.Trace.Last.Va = (sbyte)Math.Max(0, first);
        s.Trace.Last.Detail = Math.Min(s.M.Pages - 1, last);
        return s.M.IommuEnqueue(kind, first, last, ai);
    }

    private static bool IommuQueueRoom(Simulator s, int ai, in Instr ins) => s.M.IommuQueueHasRoom;

    /// <summary>
    /// COMPLETION_WAIT (AMD) and the invalidation wait descriptor (Intel) complete once every
    /// command queued before them has; the model waits for the commands this agent queued, which
    /// are the ones its correctness can rest on (another CPU's commands are covered by its own wait).
    /// </summary>
    private static bool OwnCommandsComplete(Simulator s, int ai, in Instr ins) => !s.M.HasCommandsOf(ai);
}
