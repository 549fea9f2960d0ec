namespace Fuzz.Model.Scenarios;

/// <summary>Operations an agent's program can contain.</summary>
public enum OpKind : byte
{
    Load,
    Store,
    MadviseDontneed,
    Fork,
    DmaRead,
    DmaWrite,
    /// <summary>read(2) with O_DIRECT into the page: pinned by get_user_pages_fast, written by the disk's DMA.</summary>
    OdirectRead,
    /// <summary>ksmd merges two identical pages into one KSM page.</summary>
    KsmMerge,
    /// <summary>kswapd reclaims the page behind an address to swap.</summary>
    SwapOut,
    /// <summary>kcompactd migrates the page behind an address to a new frame.</summary>
    Migrate,
}

public static class OpKinds
{
    public static string Name(OpKind k) => k switch
    {
        OpKind.Load => "load",
        OpKind.Store => "store",
        OpKind.MadviseDontneed => "madvise_dontneed",
        OpKind.Fork => "fork",
        OpKind.DmaRead => "dma_read",
        OpKind.DmaWrite => "dma_write",
        OpKind.OdirectRead => "odirect_read",
        OpKind.KsmMerge => "ksm_merge",
        OpKind.SwapOut => "swap_out",
        OpKind.Migrate => "migrate",
        _ => k.ToString(),
    };

    public static bool TryParse(string s, out OpKind kind)
    {
        foreach (OpKind k in Enum.GetValues<OpKind>())
        {
            if (Name(k) == s)
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>Which agents may run the operation.</summary>
    public static bool RunsOn(OpKind k, AgentKind agent) => agent switch
    {
        AgentKind.Cpu => k is OpKind.Load or OpKind.Store or OpKind.MadviseDontneed or OpKind.Fork or OpKind.OdirectRead,
        AgentKind.Device => k is OpKind.DmaRead or OpKind.DmaWrite,
        AgentKind.Ksmd => k == OpKind.KsmMerge,
        AgentKind.Kswapd => k == OpKind.SwapOut,
        AgentKind.Kcompactd => k == OpKind.Migrate,
        _ => false,
    };

    /// <summary>
    /// Whether operations of the two kinds can be in flight at once on different agents. There are
    /// several CPUs, but one device and one of each kernel thread, so two operations that only that
    /// one agent runs (two DMAs, two KSM merges) never overlap: race coverage does not count them.
    /// </summary>
    public static bool CanOverlap(OpKind a, OpKind b) =>
        RunsOn(a, AgentKind.Cpu) || RunsOn(b, AgentKind.Cpu) || SingleAgentOf(a) != SingleAgentOf(b);

    private static AgentKind SingleAgentOf(OpKind k) =>
        KthreadOf(k) ?? (RunsOn(k, AgentKind.Device) ? AgentKind.Device : AgentKind.Cpu);

    public static AgentKind? KthreadOf(OpKind k) => k switch
    {
        OpKind.KsmMerge => AgentKind.Ksmd,
        OpKind.SwapOut => AgentKind.Kswapd,
        OpKind.Migrate => AgentKind.Kcompactd,
        _ => null,
    };

    public static bool HasValue(OpKind k) => k is OpKind.Store or OpKind.DmaWrite or OpKind.OdirectRead;

    public static bool HasRange(OpKind k) => k is OpKind.MadviseDontneed;

    public static bool HasAddress(OpKind k) => k != OpKind.Fork;

    /// <summary>Kernel-thread operations name the mm they act on (a thread's own mm is implicit).</summary>
    public static bool NamesMm(OpKind k) => KthreadOf(k) is not null;

    /// <summary>Operations user code observes (the others must be invisible at the register level).</summary>
    public static bool IsUserAccess(OpKind k) => k is OpKind.Load or OpKind.Store or OpKind.DmaRead or OpKind.DmaWrite or OpKind.OdirectRead;
}
