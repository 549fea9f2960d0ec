namespace Fuzz.Model.Scheduling;

/// <summary>
/// One scheduler choice: an agent's next step, or a hardware fill/eviction of one translation by a
/// CPU's TLB or the device's ATC. A schedule is a sequence of these; written as CPU0, DEV, kworker,
/// CPU1.fill:A, DEV.evict:B.
/// </summary>
public readonly record struct SchedAction(ActionKind Kind, byte Agent, byte Va)
{
    public static SchedAction Step(int agent) => new(ActionKind.Step, (byte)agent, 0);
    public static SchedAction Fill(int agent, int va) => new(ActionKind.Fill, (byte)agent, (byte)va);
    public static SchedAction Evict(int agent, int va) => new(ActionKind.Evict, (byte)agent, (byte)va);
}
