using Fuzz.Model.Scenarios;

namespace Fuzz.Search.Verification;

/// <summary>How a page may start out in a scope's scenarios (the scenario format's 'page' lines).</summary>
public enum InitialKind : byte
{
    /// <summary>pte_none: not mapped yet.</summary>
    None,
    /// <summary>Mapped to the zero page.</summary>
    Zero,
    /// <summary>A private page with a value, writable.</summary>
    Value,
    /// <summary>A private page with a value, mapped read-only.</summary>
    ValueReadOnly,
    /// <summary>Swapped out; its slot holds a value.</summary>
    Swapped,
    /// <summary>mm1's page shares mm0's frame, read-only on both sides (what fork leaves).</summary>
    Shared,
}

/// <summary>
/// The bounds of an exhaustive search: which scenarios exist (operations, CPUs, pages, address
/// spaces, agents, operation kinds, initial states) and how hard each is searched. Read from a
/// scope file (<see cref="ScopeFile"/>).
/// </summary>
public sealed record Scope
{
    public string Name { get; init; } = "scope";
    /// <summary>What the scope covers, in words (shown by 'fuzz verify' and in README).</summary>
    public IReadOnlyList<string> Description { get; init; } = [];
    public int MinOps { get; init; } = 1;
    public int MaxOps { get; init; } = 2;
    public int MaxOpsPerAgent { get; init; } = 2;
    public int MaxCpus { get; init; } = 2;
    public int MaxPages { get; init; } = 1;
    /// <summary>Address spaces: 1, or 2 for a second process or fork's child.</summary>
    public int MaxMms { get; init; } = 1;
    /// <summary>Page-table pages (one PTL each). The model keeps every page under one PMD and one PTL, so this is 1.</summary>
    public int PageTables { get; init; } = 1;
    public IReadOnlySet<AgentKind> Agents { get; init; } = new HashSet<AgentKind> { AgentKind.Cpu };
    public IReadOnlySet<OpKind> Kinds { get; init; } = new HashSet<OpKind> { OpKind.Load, OpKind.Store };
    public IReadOnlySet<InitialKind> Initial { get; init; } = new HashSet<InitialKind> { InitialKind.None };
    /// <summary>False: every value written is distinct. True: every partition of the writes into equal values (KSM needs equal pages).</summary>
    public bool EqualValues { get; init; }
    /// <summary>A scenario whose search passes this many states is reported as beyond the scope's budget, never as complete.</summary>
    public long MaxStates { get; init; } = 50_000_000;
    /// <summary>At most this many preemptions per path (<see cref="ExploreOptions.Preemptions"/>); null: every interleaving.</summary>
    public int? Preemptions { get; init; }
    /// <summary>
    /// When not empty, only the scenarios whose agents run exactly these programs, one shape per
    /// agent with a program (the CPUs in any order): each shape an agent kind and its operation kinds
    /// in order. Which mm each runs in, the pages, values and initial states are enumerated as usual.
    /// </summary>
    public IReadOnlyList<ProgramShape> Shapes { get; init; } = [];

    /// <summary>Whether the scenario's programs are the scope's shapes, one each (always, without shapes).</summary>
    public bool Fits(Scenario s)
    {
        if (Shapes.Count == 0) return true;
        var programs = s.Programs.Where(p => p.Ops.Count > 0).ToList();
        return programs.Count == Shapes.Count && Match(programs, 0, new bool[Shapes.Count]);
    }

    // A shape without an mm fits a program in either, so a program may need a shape another could take: try each.
    private bool Match(List<AgentProgram> programs, int next, bool[] used)
    {
        if (next == programs.Count) return true;
        for (int i = 0; i < Shapes.Count; i++)
        {
            if (used[i] || !Shapes[i].Fits(programs[next])) continue;
            used[i] = true;
            if (Match(programs, next + 1, used)) return true;
            used[i] = false;
        }
        return false;
    }

    public bool Allows(OpKind k) => Kinds.Contains(k) && OpKindAgents(k).Any(Agents.Contains);

    private static IEnumerable<AgentKind> OpKindAgents(OpKind k) =>
        Enum.GetValues<AgentKind>().Where(a => OpKinds.RunsOn(k, a));
}

/// <summary>An agent kind, optionally the mm it runs in, and the kinds of its operations in order ('shape cpu fork load', 'shape cpu mm1 store').</summary>
public sealed record ProgramShape(AgentKind Agent, int? Mm, IReadOnlyList<OpKind> Kinds)
{
    public bool Fits(AgentProgram p) =>
        p.Kind == Agent && (Mm is null || p.Mm == Mm) && p.Ops.Select(o => o.Kind).SequenceEqual(Kinds);
}
