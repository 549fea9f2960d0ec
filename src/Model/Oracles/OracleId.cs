namespace Fuzz.Model.Oracles;

/// <summary>The properties of DOMAIN.md section 5; every violation names exactly one.</summary>
public enum OracleId : byte
{
    /// <summary>1. Per (mm, page) register, the observed history has a linearization respecting real time.</summary>
    Linearizability,
    /// <summary>2. When an operation that removes or downgrades a translation returns, no TLB/ATC still holds it.</summary>
    StaleTlb,
    /// <summary>3. No load, store, DMA or kernel copy touches a frame that is free or was reused.</summary>
    UseAfterFree,
    /// <summary>4. A write in one register never lands in a frame another register maps.</summary>
    Isolation,
    /// <summary>5. A completed write is never dropped by a copy, writeback or merge.</summary>
    LostWrite,
    /// <summary>6. Refcounts and mapcounts agree with the PTEs; no frame leaks; nothing maps a freed frame.</summary>
    Accounting,
    /// <summary>7. No deadlock, no endless fault loop.</summary>
    Progress,
}

public static class OracleNames
{
    public static string Name(OracleId id) => id switch
    {
        OracleId.Linearizability => "linearizability",
        OracleId.StaleTlb => "stale-tlb",
        OracleId.UseAfterFree => "use-after-free",
        OracleId.Isolation => "isolation",
        OracleId.LostWrite => "lost-write",
        OracleId.Accounting => "accounting",
        _ => "progress",
    };

    public static bool TryParse(string s, out OracleId id)
    {
        foreach (OracleId o in Enum.GetValues<OracleId>())
        {
            if (Name(o) == s)
            {
                id = o;
                return true;
            }
        }
        id = default;
        return false;
    }

    public static string AllNames => string.Join(", ", Enum.GetValues<OracleId>().Select(Name));
}
