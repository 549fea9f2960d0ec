using Fuzz.Model.Machine;
using Fuzz.Model.Scheduling;

namespace Fuzz.Model.Scenarios;

/// <summary>
/// A complete, replayable test: machine shape, initial mappings, each agent's program, the kernel it
/// runs against, and the schedule (scheduler choices). With the kernel, it determines the trace.
/// </summary>
public sealed record Scenario
{
    public const int FormatVersion = 1;

    /// <summary>Kernel reference: a built-in name (v4.14) or a variant file name or path.</summary>
    public string Kernel { get; init; } = Fuzz.Model.Kernel.KernelDefinition.BaseName;
    public Expectation? Expect { get; init; }
    /// <summary>Verdicts expected under other kernels ("expect coherent under v4.14").</summary>
    public IReadOnlyList<KernelExpectation> ExpectUnder { get; init; } = [];
    public int Cpus { get; init; } = 2;
    public int Pages { get; init; } = 2;
    /// <summary>
    /// The page that starts a second PTE page ("pmd B"), or null when every page sits in one: pages
    /// from it on are in another 2 MiB range, under another PMD, with their own split page-table lock.
    /// </summary>
    public int? SecondPmd { get; init; }
    /// <summary>The mm the IOMMU is bound to (PASID), or null when there is no device.</summary>
    public int? DeviceMm { get; init; }
    public IReadOnlyList<InitialPage> InitialPages { get; init; } = [];
    /// <summary>Programs, at most one per CPU and one for the device; CPUs without one idle in mm0.</summary>
    public IReadOnlyList<AgentProgram> Programs { get; init; } = [];
    public IReadOnlyList<SchedAction> Schedule { get; init; } = [];
    /// <summary>Free text kept with the file: title, provenance, the rendered table.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>Two mms when anything mentions mm1 or forks.</summary>
    public int Mms
    {
        get
        {
            foreach (AgentProgram p in Programs)
            {
                if (p.Kind == AgentKind.Cpu && p.Mm == 1) return 2;
                foreach (Operation op in p.Ops)
                {
                    if (op.Kind == OpKind.Fork) return 2;
                    if (OpKinds.NamesMm(op.Kind) && (op.Mm == 1 || (op.Kind == OpKind.KsmMerge && op.Mm2 == 1))) return 2;
                }
            }
            foreach (InitialPage ip in InitialPages)
            {
                if (ip.Mm == 1) return 2;
            }
            return DeviceMm == 1 ? 2 : 1;
        }
    }

    public bool HasDevice => DeviceMm is not null;

    /// <summary>
    /// Swap I/O can happen: kswapd writes pages out, or a page starts swapped out (only these make
    /// swap entries). Such a scenario has the swap device as an agent.
    /// </summary>
    public bool HasSwapIo => Programs.Any(p => p.Kind == AgentKind.Kswapd) || InitialPages.Any(p => p.Kind == InitialPageKind.Swapped);

    /// <summary>Frames: enough for every page of every mm to be copied once more, and some slack.</summary>
    public int Frames => Math.Min(Limits.MaxFrames, 1 + Mms * Pages * 3 + 4);

    public AgentProgram? CpuProgram(int cpu)
    {
        foreach (AgentProgram p in Programs)
        {
            if (p.Kind == AgentKind.Cpu && p.Index == cpu) return p;
        }
        return null;
    }

    public AgentProgram? DeviceProgram() => ProgramOf(AgentKind.Device);

    /// <summary>The program of a non-CPU agent (device or kernel thread), if it has one.</summary>
    public AgentProgram? ProgramOf(AgentKind kind)
    {
        foreach (AgentProgram p in Programs)
        {
            if (p.Kind == kind) return p;
        }
        return null;
    }

    /// <summary>How agents are numbered (for schedules and the simulator).</summary>
    public AgentLayout Layout => AgentLayout.Of(this);

    public bool HasFork => Programs.Any(p => p.Ops.Any(o => o.Kind == OpKind.Fork));

    public int OperationCount => Programs.Sum(p => p.Ops.Count);
}
