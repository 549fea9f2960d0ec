namespace Fuzz.Model.Kernel;

/// <summary>
/// Named switches: where the kernel itself has one (a config, the SVA driver), where a later commit
/// changed a data structure every user of it sees (tlb_flush_batched), and properties of the
/// machine rather than of any recipe (the mmu_gather's allocation failing, the CPU's dirty-bit
/// behaviour), so that a variant can depend on them.
/// <paramref name="AtsDiscardStale"/> is the PCIe ATS rule (10.1.1: "a Function is required to
/// discard Translation Completions that might be 'stale'"; the device's Invalidate Completion waits
/// for the translation requests outstanding when the Invalidate Request arrived): on by default; off
/// shows what it prevents.
/// </summary>
public sealed record KernelKnobs(IommuDriver Iommu = IommuDriver.AmdIommuV2, bool BatchedReclaim = true,
    bool TlbFlushBatchedCounter = false, int GatherBatch = Machine.Limits.GatherBatch, bool PreCetDirtyBit = false,
    SwapDevice SwapDevice = SwapDevice.Async, bool AtsDiscardStale = true)
{
    public static KernelKnobs Default { get; } = new();

    /// <summary>Knob names and their values, as a variant file writes them.</summary>
    public static IReadOnlyList<(string Name, string Values)> Catalog { get; } =
    [
        ("iommu", "amd_iommu_v2 | intel_svm"),
        ("batched_reclaim", "on | off"),
        ("ats_stale_completions", "discard | cache"),
        ("tlb_flush_batched", "bool | counter"),
        ("mmu_gather_batch", "1 .. 8"),
        ("dirty_bit", "cet | pre_cet"),
        ("swap_device", "async | sync"),
    ];

    public KernelKnobs With(string name, string value, out string? error)
    {
        error = null;
        switch (name)
        {
            case "iommu":
                if (value == "amd_iommu_v2") return this with { Iommu = IommuDriver.AmdIommuV2 };
                if (value == "intel_svm") return this with { Iommu = IommuDriver.IntelSvm };
                error = $"knob iommu takes amd_iommu_v2 or intel_svm, not '{value}'";
                return this;
            case "batched_reclaim":
                if (value == "on") return this with { BatchedReclaim = true };
                if (value == "off") return this with { BatchedReclaim = false };
                error = $"knob batched_reclaim takes on or off, not '{value}'";
                return this;
            case "ats_stale_completions":
                if (value == "discard") return this with { AtsDiscardStale = true };
                if (value == "cache") return this with { AtsDiscardStale = false };
                error = $"knob ats_stale_completions takes discard (PCIe ATS) or cache, not '{value}'";
                return this;
            case "tlb_flush_batched":
                if (value == "bool") return this with { TlbFlushBatchedCounter = false };
                if (value == "counter") return this with { TlbFlushBatchedCounter = true };
                error = $"knob tlb_flush_batched takes bool or counter, not '{value}'";
                return this;
            case "mmu_gather_batch":
                if (int.TryParse(value, out int n) && n >= 1 && n <= Machine.Limits.GatherBatch) return this with { GatherBatch = n };
                error = $"knob mmu_gather_batch takes a number from 1 to {Machine.Limits.GatherBatch}, not '{value}'";
                return this;
            case "dirty_bit":
                if (value == "cet") return this with { PreCetDirtyBit = false };
                if (value == "pre_cet") return this with { PreCetDirtyBit = true };
                error = $"knob dirty_bit takes cet or pre_cet, not '{value}'";
                return this;
            case "swap_device":
                if (value == "async") return this with { SwapDevice = SwapDevice.Async };
                if (value == "sync") return this with { SwapDevice = SwapDevice.Sync };
                error = $"knob swap_device takes async (a bio that completes later) or sync (->rw_page: brd, zram, pmem), not '{value}'";
                return this;
            default:
                error = $"unknown knob '{name}'; knobs are: {string.Join(", ", Catalog.Select(k => k.Name))}";
                return this;
        }
    }

    public IEnumerable<string> Describe()
    {
        yield return $"iommu {(Iommu == IommuDriver.IntelSvm ? "intel_svm" : "amd_iommu_v2")}";
        yield return $"batched_reclaim {(BatchedReclaim ? "on" : "off")}";
        yield return $"ats_stale_completions {(AtsDiscardStale ? "discard" : "cache")}";
        yield return $"tlb_flush_batched {(TlbFlushBatchedCounter ? "counter" : "bool")}";
        yield return $"mmu_gather_batch {GatherBatch}";
        yield return $"dirty_bit {(PreCetDirtyBit ? "pre_cet" : "cet")}";
        yield return $"swap_device {(SwapDevice == SwapDevice.Sync ? "sync" : "async")}";
    }
}
