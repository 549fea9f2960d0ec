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
        AgentKind.Cpu => k is OpKind.Load or OpKind.Store or OpKind.MadviseDontneed or OpKind.Fork,
        AgentKind.Device => k is OpKind.DmaRead or OpKind.DmaWrite,
        _ => false,
    };

    public static bool HasValue(OpKind k) => k is OpKind.Store or OpKind.DmaWrite;

    public static bool HasRange(OpKind k) => k is OpKind.MadviseDontneed;

    public static bool HasAddress(OpKind k) => k != OpKind.Fork;
}
