namespace Fuzz.Model.Kernel;

/// <summary>Named switches where the kernel itself has one (a config or a driver choice).</summary>
public sealed record KernelKnobs(IommuDriver Iommu = IommuDriver.AmdIommuV2, bool BatchedReclaim = true, SwapDevice SwapDevice = SwapDevice.Async)
{
    public static KernelKnobs Default { get; } = new();

    /// <summary>Knob names and their values, as a variant file writes them.</summary>
    public static IReadOnlyList<(string Name, string Values)> Catalog { get; } =
    [
        ("iommu", "amd_iommu_v2 | intel_svm"),
        ("batched_reclaim", "on | off"),
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
        yield return $"swap_device {(SwapDevice == SwapDevice.Sync ? "sync" : "async")}";
    }
}
