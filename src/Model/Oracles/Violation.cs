using Fuzz.Model.Kernel;

namespace Fuzz.Model.Oracles;

/// <summary>
/// One oracle violation, recorded as numbers (formatting happens only when it is shown): which
/// oracle and finding, when (tick), by which agent at which step, and the values involved.
/// Fields that do not apply are -1.
/// </summary>
public struct Violation
{
    public OracleId Oracle;
    public ViolationCode Code;
    public int Tick;
    public int Agent;
    public bool HasStep;
    public StepId Step;
    public int Mm;
    public int Va;
    public int Pfn;
    /// <summary>The value observed or written.</summary>
    public int Value;
    /// <summary>The value (or count) that was expected.</summary>
    public int Expected;
    /// <summary>A second party: the agent whose TLB is stale, the last writer, the lock holder.</summary>
    public int OtherAgent;
    public int OtherTick;
    /// <summary>The stale translation is in a Translation Completion on its way to the device (which will cache it), not yet in its ATC.</summary>
    public bool InFlight;
    public int OtherMm;
    public int OtherVa;
    /// <summary>The operation at fault (flat index into the scenario's operations), and a second one.</summary>
    public int Op;
    public int OtherOp;

    public static Violation Of(OracleId oracle, ViolationCode code, int tick, int agent) => new()
    {
        Oracle = oracle,
        Code = code,
        Tick = tick,
        Agent = agent,
        Mm = -1,
        Va = -1,
        Pfn = -1,
        Value = -1,
        Expected = -1,
        OtherAgent = -1,
        OtherTick = -1,
        OtherMm = -1,
        OtherVa = -1,
        Op = -1,
        OtherOp = -1,
    };
}
