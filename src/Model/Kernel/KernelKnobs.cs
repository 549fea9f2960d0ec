namespace Fuzz.Model.Kernel;

/// <summary>
/// Named switches where the kernel itself has one (a config or a driver choice), and properties of
/// the machine a variant may depend on. <paramref name="AtsDiscardStale"/> is the PCIe ATS rule
/// (10.1.1: "a Function is required to discard Translation Completions that might be 'stale'"; the
/// device's Invalidate Completion waits for the translation requests outstanding when the
/// Invalidate Request arrived): on by default; off shows what it prevents.
/// </summary>
public sealed record KernelKnobs(IommuDriver Iommu = IommuDriver.AmdIommuV2, bool BatchedReclaim = true, bool AtsDiscardStale = true)
{
    public static KernelKnobs Default { get; } = new();

    /// <summary>Knob names and their values, as a variant file writes them.</summary>
    public static IReadOnlyList<(string Name, string Values)> Catalog { get; } =
    [
        ("iommu", "amd_iommu_v2 | intel_svm"),
        ("batched_reclaim", "on | off"),
        ("ats_stale_completions", "discard | cache"),
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
    }
}
