namespace Fuzz.Model.Scenarios;

/// <summary>
/// How a scenario's agents are numbered: CPU0..CPUn-1, then the device, the IOMMU and the PRI worker
/// (if there is a device), then ksmd, kswapd and kcompactd (each if it has a program), then the swap
/// device (disk) if the scenario can do swap I/O. Schedules name agents,
/// the simulator numbers them; this is the one place that maps between the two.
/// </summary>
public sealed class AgentLayout
{
    private readonly AgentKind[] _kinds;
    private readonly string[] _names;

    public int Cpus { get; }
    public int Device { get; } = -1;
    public int Iommu { get; } = -1;
    public int Worker { get; } = -1;
    /// <summary>The swap device's agent, or -1 when the scenario cannot do swap I/O.</summary>
    public int Disk { get; } = -1;

    private AgentLayout(Scenario s)
    {
        Cpus = s.Cpus;
        var kinds = new List<AgentKind>();
        for (int i = 0; i < s.Cpus; i++) kinds.Add(AgentKind.Cpu);
        if (s.HasDevice)
        {
            Device = kinds.Count;
            kinds.Add(AgentKind.Device);
            Iommu = kinds.Count;
            kinds.Add(AgentKind.Iommu);
            Worker = kinds.Count;
            kinds.Add(AgentKind.PriWorker);
        }
        foreach (AgentKind k in new[] { AgentKind.Ksmd, AgentKind.Kswapd, AgentKind.Kcompactd })
        {
            if (s.Programs.Any(p => p.Kind == k)) kinds.Add(k);
        }
        if (s.HasSwapIo)
        {
            Disk = kinds.Count;
            kinds.Add(AgentKind.Disk);
        }
        _kinds = kinds.ToArray();
        _names = _kinds.Select((k, i) => k == AgentKind.Cpu ? Names.Cpu(i) : Names.Of(k)).ToArray();
    }

    public static AgentLayout Of(Scenario s) => new(s);

    public int Count => _kinds.Length;

    public AgentKind Kind(int agent) => _kinds[agent];

    public string Name(int agent) => agent < _names.Length ? _names[agent] : "agent" + agent;

    public IReadOnlyList<string> AllNames => _names;

    /// <summary>The agent number of a program.</summary>
    public int IndexOf(AgentProgram p) => p.Kind == AgentKind.Cpu ? p.Index : Array.IndexOf(_kinds, p.Kind);

    public int IndexOf(AgentKind k) => Array.IndexOf(_kinds, k);

    public bool TryIndex(string name, out int agent)
    {
        agent = Array.IndexOf(_names, name);
        return agent >= 0;
    }

    /// <summary>Agents with hardware actions on translations: the CPUs, the device and the IOMMU.</summary>
    public bool HasTranslations(int agent) => agent < Cpus || agent == Device || agent == Iommu;
}
