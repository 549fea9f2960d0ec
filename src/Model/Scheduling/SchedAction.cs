namespace Fuzz.Model.Scheduling;

/// <summary>
/// One scheduler choice: an agent's next step, or a hardware action on one translation (a CPU's TLB,
/// the device's ATC and ATS requests, the IOMMU's IOTLB, walks and command queue). A schedule is a
/// sequence of these; written as CPU0, DEV, kworker, CPU1.fill:A, DEV.ats:A, IOMMU.walk:A, IOMMU.cmd.
/// </summary>
public readonly record struct SchedAction(ActionKind Kind, byte Agent, byte Va)
{
    public static SchedAction Step(int agent) => new(ActionKind.Step, (byte)agent, 0);
    public static SchedAction Fill(int agent, int va) => new(ActionKind.Fill, (byte)agent, (byte)va);
    public static SchedAction Evict(int agent, int va) => new(ActionKind.Evict, (byte)agent, (byte)va);
    public static SchedAction AtsRequest(int device, int va) => new(ActionKind.AtsRequest, (byte)device, (byte)va);
    public static SchedAction Complete(int device, int va) => new(ActionKind.Complete, (byte)device, (byte)va);
    public static SchedAction Walk(int iommu, int va) => new(ActionKind.Walk, (byte)iommu, (byte)va);
    public static SchedAction Command(int iommu, int index) => new(ActionKind.Command, (byte)iommu, (byte)index);
    public static SchedAction IotlbEvict(int iommu, int va) => new(ActionKind.IotlbEvict, (byte)iommu, (byte)va);

    /// <summary>Whether <see cref="Va"/> names a page (every hardware action but a command, whose Va is a queue position).</summary>
    public bool HasPage => Kind is not (ActionKind.Step or ActionKind.Command);

    /// <summary>A choice that makes progress: an agent step, an IOMMU walk or command, a device completion.</summary>
    public bool IsProgress => Kind is ActionKind.Step or ActionKind.Walk or ActionKind.Command or ActionKind.Complete;
}
