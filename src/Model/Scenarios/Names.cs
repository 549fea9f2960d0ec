namespace Fuzz.Model.Scenarios;

/// <summary>How pages, mms and agents are written: pages A, B, C...; mm0, mm1; CPU0, DEV, IOMMU, kworker, ksmd, ..., disk</summary>
public static class Names
{
    public static string Page(int va) => ((char)('A' + va)).ToString();

    public static bool TryPage(string s, int pages, out int va)
    {
        va = s.Length == 1 ? s[0] - 'A' : -1;
        return va >= 0 && va < pages;
    }

    public static string Mm(int mm) => "mm" + mm;

    public static bool TryMm(string s, out int mm)
    {
        mm = -1;
        return s.StartsWith("mm", StringComparison.Ordinal) && int.TryParse(s.AsSpan(2), out mm)
            && mm >= 0 && mm < Machine.Limits.MaxMms;
    }

    public const string Device = "DEV";
    public const string Iommu = "IOMMU";
    public const string PriWorker = "kworker";
    public const string Disk = "disk";

    public static string Cpu(int i) => "CPU" + i;

    /// <summary>The name of a non-CPU agent, as programs and schedules write it.</summary>
    public static string Of(AgentKind k) => k switch
    {
        AgentKind.Device => Device,
        AgentKind.Iommu => Iommu,
        AgentKind.PriWorker => PriWorker,
        AgentKind.Ksmd => "ksmd",
        AgentKind.Kswapd => "kswapd",
        AgentKind.Kcompactd => "kcompactd",
        AgentKind.Disk => Disk,
        _ => "CPU",
    };

    /// <summary>Kernel threads that run programs, by the name that starts their program line.</summary>
    public static bool TryKthread(string s, out AgentKind k)
    {
        foreach (AgentKind c in new[] { AgentKind.Ksmd, AgentKind.Kswapd, AgentKind.Kcompactd })
        {
            if (Of(c) == s)
            {
                k = c;
                return true;
            }
        }
        k = default;
        return false;
    }
}
