namespace Fuzz.Model.Oracles;

/// <summary>The precise finding within an oracle; selects how the violation is worded.</summary>
public enum ViolationCode : byte
{
    NotLinearizable,
    StaleAfterReturn,
    AccessFreedFrame,
    AccessReusedFrame,
    StaleAccessOtherMm,
    WriteToShared,
    ValueFromOtherMm,
    WriteAfterCopy,
    WriteToRetired,
    WriteAfterWriteback,
    ReplacedOther,
    FreedWhileMapped,
    FreedWhileCached,
    FreedWithMapcount,
    RefcountMismatch,
    MapcountMismatch,
    Leak,
    PteToFreeFrame,
    CachedAtQuiescence,
    OverPut,
    NotMigrationEntry,
    SwapCountMismatch,
    Deadlock,
    FaultLoop,
    ZeroTimeLoop,
    TickLimit,
}
