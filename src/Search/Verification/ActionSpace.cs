using Fuzz.Model.Machine;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Verification;

/// <summary>
/// The actions of one scenario as small numbers, for sleep sets and the parent links. In order:
/// agent steps 0..A-1; the progress actions of the IOMMU and the device (per page an IOMMU walk
/// and a speculative completion, then the IOMMU's commands by queue position); then the optional
/// hardware, grouped by the entry it touches: per CPU and page a TLB fill and eviction, and per
/// page the device-side group (the speculative ATS request, the ATC eviction and the IOTLB
/// eviction, which all read or write the page's request slot or the caches the request compares).
/// </summary>
public sealed class ActionSpace
{
    private readonly int _agents;
    private readonly int _cpus;
    private readonly int _pages;
    private readonly int _device;
    private readonly int _iommu;
    private readonly int _progress;
    private readonly int _optional;

    public ActionSpace(Simulator s)
    {
        _agents = s.AgentCount;
        _cpus = s.M.Cpus;
        _pages = s.M.Pages;
        _device = s.DeviceAgent;
        _iommu = s.IommuAgent;
        bool iommu = _iommu >= 0 && _device >= 0;
        _progress = _agents;
        _optional = _progress + (iommu ? 2 * _pages + Limits.IommuQueue : 0);
        Count = _optional + 2 * _cpus * _pages + (iommu ? 3 * _pages : 0);
        if (Count > SleepSet.Capacity) throw new ModelLimitException($"{Count} scheduler actions: the search handles at most {SleepSet.Capacity}");
    }

    public int Count { get; }

    public int Index(SchedAction a) => a.Kind switch
    {
        ActionKind.Step => a.Agent,
        ActionKind.Walk => _progress + a.Va,
        ActionKind.Complete => _progress + _pages + a.Va,
        ActionKind.Command => _progress + 2 * _pages + a.Va,
        ActionKind.Fill => _optional + (a.Agent * _pages + a.Va) * 2,
        ActionKind.Evict when a.Agent != _device => _optional + (a.Agent * _pages + a.Va) * 2 + 1,
        ActionKind.AtsRequest => DeviceGroup(a.Va),
        ActionKind.Evict => DeviceGroup(a.Va) + 1,
        _ => DeviceGroup(a.Va) + 2,
    };

    private int DeviceGroup(int va) => _optional + 2 * _cpus * _pages + 3 * va;

    public SchedAction Action(int index)
    {
        if (index < _agents) return SchedAction.Step(index);
        if (index < _optional)
        {
            int p = index - _progress;
            if (p < _pages) return SchedAction.Walk(_iommu, p);
            if (p < 2 * _pages) return SchedAction.Complete(_device, p - _pages);
            return SchedAction.Command(_iommu, p - 2 * _pages);
        }
        int h = index - _optional;
        if (h < 2 * _cpus * _pages)
        {
            int cpu = h / 2 / _pages, va = h / 2 % _pages;
            return (h & 1) == 0 ? SchedAction.Fill(cpu, va) : SchedAction.Evict(cpu, va);
        }
        int d = h - 2 * _cpus * _pages;
        return (d % 3) switch
        {
            0 => SchedAction.AtsRequest(_device, d / 3),
            1 => SchedAction.Evict(_device, d / 3),
            _ => SchedAction.IotlbEvict(_iommu, d / 3),
        };
    }

    /// <summary>An agent step: its footprint is learnt from the trace of the step (<see cref="HardwareFootprints"/>).</summary>
    public bool IsStep(int index) => index < _agents;

    /// <summary>A walk, a speculative completion or a command: progress made by hardware, dependent on everything (they change what caches hold, which request is answered and which waits end).</summary>
    public bool IsHardwareProgress(int index) => index >= _progress && index < _optional;

    /// <summary>A CPU TLB fill or eviction.</summary>
    public bool IsCpuTlb(int index) => index >= _optional && index < _optional + 2 * _cpus * _pages;

    /// <summary>
    /// Whether two actions commute (the sleep sets' independence): an agent step of footprint
    /// <paramref name="fa"/> and a hardware action as <see cref="HardwareFootprints.Commutes"/> says
    /// for the action's side; two agent steps never. A walk, completion or command and a CPU TLB
    /// eviction commute, and so do they and a CPU TLB fill but for a walk and a fill of one page (a
    /// walk for write sets the dirty bit the fill copies): the IOMMU and the device never read a
    /// CPU's TLB, and a fill and a walk of one PTE otherwise only both set its accessed bit. Other
    /// pairs with a walk, completion or command are dependent; two optional hardware actions
    /// commute when they touch different entries.
    /// </summary>
    public bool Independent(int a, HardwareFootprint fa, int b, HardwareFootprint fb)
    {
        bool stepA = IsStep(a), stepB = IsStep(b);
        if (stepA && stepB) return false;
        if (stepA) return HardwareFootprints.Commutes(fa, Action(b), IsCpuTlb(b));
        if (stepB) return HardwareFootprints.Commutes(fb, Action(a), IsCpuTlb(a));
        bool progressA = IsHardwareProgress(a), progressB = IsHardwareProgress(b);
        if (progressA || progressB)
        {
            if (progressA == progressB) return false;
            int progress = progressA ? a : b, other = progressA ? b : a;
            if (!IsCpuTlb(other)) return false;
            SchedAction p = Action(progress), h = Action(other);
            return !(p.Kind == ActionKind.Walk && h.Kind == ActionKind.Fill && p.Va == h.Va);
        }
        return Entry(a) != Entry(b);
    }

    /// <summary>Which entry an optional hardware action touches: the same number for the actions of one TLB entry, or of one page on the device side.</summary>
    public int Entry(int index)
    {
        int h = index - _optional;
        return h < 2 * _cpus * _pages ? h >> 1 : _cpus * _pages + (h - 2 * _cpus * _pages) / 3;
    }
}
