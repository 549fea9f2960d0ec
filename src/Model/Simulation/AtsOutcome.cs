namespace Fuzz.Model.Simulation;

/// <summary>What the device did with a Translation Completion.</summary>
public enum AtsOutcome : byte
{
    /// <summary>Cached the translation in its ATC.</summary>
    Cached,
    /// <summary>Discarded it: an invalidation for its page arrived after the request was sent (PCIe ATS 10.1.1).</summary>
    Discarded,
    /// <summary>The IOMMU found no usable translation (the device falls back to PRI).</summary>
    NoTranslation,
}

/// <summary>How a completion's outcome and permission are packed into a trace event's Detail.</summary>
public static class AtsOutcomes
{
    private const int WritableBit = 0x10;

    public static int Detail(AtsOutcome outcome, bool writable) => (int)outcome | (writable ? WritableBit : 0);

    public static AtsOutcome Outcome(int detail) => (AtsOutcome)(detail & 0xf);

    public static bool Writable(int detail) => (detail & WritableBit) != 0;
}
