using Fuzz.Model.Machine;
using Fuzz.Model.Scenarios;

namespace Fuzz.Model.Simulation;

/// <summary>
/// Builds the machine a scenario starts from: existing mms, the IOMMU binding, mapped pages.
/// Runs on every reset, so it walks arrays with indices and allocates nothing.
/// </summary>
internal static class InitialState
{
    public static void Apply(Simulator s)
    {
        MachineState m = s.M;
        Scenario sc = s.Scenario;
        m.MmStates[0].Exists = m.MmStates[0].Running = true;
        if (s.M.Mms > 1 && !s.Forks) m.MmStates[1].Exists = m.MmStates[1].Running = true;
        m.IommuMm = sc.DeviceMm ?? -1;

        InitialPage[] pages = s.InitialPages;
        for (int i = 0; i < pages.Length; i++)
        {
            InitialPage p = pages[i];
            switch (p.Kind)
            {
                case InitialPageKind.Zero:
                    m.WritePte(p.Mm, p.Va) = Pte.Present(Limits.ZeroPfn, writable: false, dirty: false);
                    break;
                case InitialPageKind.Swapped:
                    int slot = m.AllocSlot();
                    if (slot < 0) throw new ModelLimitException("out of swap slots for the initial state");
                    m.SwapContent[slot] = p.Value;
                    m.SwapCount[slot] = 1;
                    m.WritePte(p.Mm, p.Va) = Pte.SwapEntry(slot);
                    break;
                case InitialPageKind.Value:
                    int pfn = m.AllocFrame();
                    ref Frame f = ref m.Frames[pfn];
                    f.Content = p.Value;
                    f.MapCount = 1;
                    m.WritePte(p.Mm, p.Va) = Pte.Present(pfn, p.Writable, dirty: true);
                    if (p.Old) m.PteAt(p.Mm, p.Va).Young = false;
                    break;
            }
        }
        for (int i = 0; i < pages.Length; i++)
        {
            InitialPage p = pages[i];
            if (p.Kind != InitialPageKind.SharedWith) continue;
            ref Pte other = ref m.PteAt(p.SharedMm, p.SharedVa);
            if (!other.IsPresent)
                throw new InvalidOperationException($"{Names.Mm(p.Mm)} {Names.Page(p.Va)} shares {Names.Mm(p.SharedMm)} {Names.Page(p.SharedVa)}, which is not mapped");
            other.Writable = false;
            m.WritePte(p.Mm, p.Va) = Pte.Present(other.Pfn, writable: false, dirty: other.Dirty);
            if (other.Pfn != Limits.ZeroPfn)
            {
                m.Frames[other.Pfn].RefCount++;
                m.Frames[other.Pfn].MapCount++;
            }
        }
    }
}
