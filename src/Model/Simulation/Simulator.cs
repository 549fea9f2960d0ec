using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Trace;

namespace Fuzz.Model.Simulation;

/// <summary>
/// Runs a scenario against a kernel under a schedule. Everything a run touches is allocated here,
/// once; <see cref="Reset"/> restores the initial state in place, and a step allocates nothing.
/// Agents are numbered CPU0..CPUn-1, then the device, the IOMMU and the PRI worker, the kernel
/// threads and the swap device (<see cref="AgentLayout"/>).
/// </summary>
public sealed partial class Simulator
{
    public KernelDefinition Kernel { get; }
    public Scenario Scenario { get; }
    public SimOptions Options { get; }
    public MachineState M { get; }
    public readonly AgentState[] Agents;
    public readonly string[] AgentNames;
    public readonly int DeviceAgent;
    /// <summary>The IOMMU (hardware without a program: walks, invalidation commands, its IOTLB), or -1.</summary>
    public readonly int IommuAgent;
    public readonly int WorkerAgent;
    /// <summary>The swap device's agent (it performs swap bios), or -1 when the scenario cannot swap.</summary>
    public readonly int DiskAgent;
    /// <summary>All operations of all programs, flat; <see cref="OpAgent"/> says whose.</summary>
    public readonly Operation[] Ops;
    public readonly int[] OpAgent;
    public readonly int FaultLimit;
    /// <summary>Tick each operation was called and returned in the last run (-1 / int.MaxValue when it was not).</summary>
    public readonly int[] OpCall;
    public readonly int[] OpReturn;
    /// <summary>How many checks each oracle made in the last run (statistics: is every oracle exercised?).</summary>
    public readonly long[] OracleChecks = new long[Enum.GetValues<OracleId>().Length];
    /// <summary>How many times each step ran in the last run (statistics, and the audit's coverage).</summary>
    public readonly int[] StepHits = new int[StepCatalog.Count];
    internal readonly InitialPage[] InitialPages;
    private readonly int[] _agentMm;
    private readonly AgentKind[] _agentKind;
    public AgentLayout Layout { get; }
    internal readonly bool Forks;
    public readonly TraceLog Trace;
    public readonly History History;
    public readonly ViolationLog Violations = new();
    public int Tick;
    /// <summary>Whether the last run ended with work left and nobody able to run.</summary>
    public bool Deadlocked { get; private set; }

    private readonly SchedAction[] _enabled;

    /// <summary>
    /// <paramref name="trace"/>: a trace buffer to reuse (a fuzz loop runs one simulator after another
    /// on a thread; the buffer is the large part of a simulator and need not be allocated per run).
    /// The caller must not use it for anything else while this simulator lives.
    /// </summary>
    public Simulator(KernelDefinition kernel, Scenario scenario, SimOptions? options = null, TraceLog? trace = null)
    {
        Kernel = kernel;
        Scenario = scenario;
        Options = options ?? SimOptions.Default;
        M = new MachineState(scenario.Cpus, scenario.Mms, scenario.Pages, scenario.Frames, Limits.MaxSwapSlots, scenario.SecondPmd ?? -1);
        Layout = scenario.Layout;
        int agents = Layout.Count;
        Agents = new AgentState[agents];
        AgentNames = Layout.AllNames.ToArray();
        DeviceAgent = Layout.Device;
        IommuAgent = Layout.Iommu;
        WorkerAgent = Layout.Worker;
        DiskAgent = Layout.Disk;
        var ops = new List<Operation>();
        var owners = new List<int>();
        _agentMm = new int[agents];
        _agentKind = new AgentKind[agents];
        for (int i = 0; i < agents; i++)
        {
            AgentKind kind = Layout.Kind(i);
            AgentProgram? p = kind == AgentKind.Cpu ? scenario.CpuProgram(i) : scenario.ProgramOf(kind);
            _agentKind[i] = kind;
            _agentMm[i] = kind == AgentKind.Cpu ? p?.Mm ?? 0 : kind is AgentKind.Device or AgentKind.Iommu or AgentKind.PriWorker ? scenario.DeviceMm ?? 0 : 0;
            Agents[i].OpFirst = ops.Count;
            if (p is not null)
            {
                foreach (Operation op in p.Ops)
                {
                    ops.Add(op);
                    owners.Add(i);
                }
            }
            Agents[i].OpCount = ops.Count - Agents[i].OpFirst;
        }
        Ops = ops.ToArray();
        OpAgent = owners.ToArray();
        OpCall = new int[Ops.Length];
        OpReturn = new int[Ops.Length];
        InitialPages = scenario.InitialPages.ToArray();
        Forks = Ops.Any(o => o.Kind == OpKind.Fork);
        FaultLimit = Options.FaultSlack + Ops.Length;
        Trace = trace is not null && trace.Capacity >= TraceCapacity(Options) ? trace : new TraceLog(TraceCapacity(Options));
        History = new History(Ops.Length * Limits.MaxPages * 2 + 8);
        // Agent steps; per CPU and page a fill and an eviction; per page the device's request,
        // completion and ATC eviction and the IOMMU's walk and IOTLB eviction; the queued commands.
        _enabled = new SchedAction[agents + 2 * scenario.Cpus * scenario.Pages + 5 * scenario.Pages + Limits.IommuQueue];
        Reset();
    }

    public int AgentCount => Agents.Length;

    /// <summary>Trace events a run can record: a few per tick.</summary>
    public static int TraceCapacity(SimOptions options) => options.MaxTicks * 8 + 64;

    /// <summary>Back to the scenario's initial state: machine, agents, trace, history, violations.</summary>
    public void Reset()
    {
        M.Reset();
        Tick = 0;
        Deadlocked = false;
        Trace.Clear();
        History.Clear();
        Violations.Clear();
        Array.Fill(OpCall, -1);
        Array.Fill(OpReturn, int.MaxValue);
        Array.Clear(OracleChecks);
        Array.Clear(StepHits);
        InitialState.Apply(this);
        for (int i = 0; i < Agents.Length; i++)
        {
            ref AgentState a = ref Agents[i];
            int first = a.OpFirst, count = a.OpCount;
            a = default;
            a.OpFirst = first;
            a.OpCount = count;
            a.Kind = _agentKind[i];
            a.Mm = _agentMm[i];
            a.CurOp = -1;
            a.HistoryFirst = -1;
            PrepareNextOp(i);
        }
    }

    /// <summary>Run to the end under <paramref name="strategy"/>, then apply the end-of-run oracles.</summary>
    public RunOutcome Run(IScheduleStrategy strategy)
    {
        while (true)
        {
            int n = CollectEnabled(_enabled, out int agentActions);
            if (agentActions == 0) break;
            if (Tick >= Options.MaxTicks)
            {
                ProgressOracle.TickLimit(this);
                break;
            }
            int choice = strategy.Choose(new ReadOnlySpan<SchedAction>(_enabled, 0, n), agentActions);
            Execute(_enabled[choice]);
        }
        Finish();
        return new RunOutcome(Tick, Violations.Count, Deadlocked);
    }

    /// <summary>Take one scheduler action; the caller checked it is enabled.</summary>
    public void Execute(SchedAction action)
    {
        switch (action.Kind)
        {
            case ActionKind.Step:
                RunAgent(action.Agent);
                break;
            case ActionKind.Fill:
                HardwareFill(action.Agent, action.Va);
                break;
            case ActionKind.Evict:
                HardwareEvict(action.Agent, action.Va);
                break;
            case ActionKind.AtsRequest:
                SpeculativeAtsRequest(action.Va);
                break;
            case ActionKind.Complete:
                SpeculativeCompletion(action.Va);
                break;
            case ActionKind.Walk:
                IommuWalk(action.Va);
                break;
            case ActionKind.Command:
                IommuExecute(action.Va);
                break;
            default:
                IotlbEvict(action.Va);
                break;
        }
        Tick++;
    }

    /// <summary>End of run: deadlock check, quiescent accounting, linearizability.</summary>
    public void Finish()
    {
        CheckEndState();
        LinearizabilityChecker.Check(this);
    }
}
