using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;

namespace Fuzz.Model.Simulation;

/// <summary>One agent's execution state: its program position, its recipe call stack and its locals.</summary>
public struct AgentState
{
    public AgentKind Kind;
    /// <summary>The mm this agent's thread belongs to (device: the PASID-bound mm).</summary>
    public int Mm;
    /// <summary>This agent's operations: indices [OpFirst, OpFirst + OpCount) of the simulator's flat op table.</summary>
    public int OpFirst;
    public int OpCount;
    /// <summary>Next operation to start, relative to OpFirst.</summary>
    public int NextOp;

    /// <summary>An operation is prepared or running; <see cref="Started"/> once its first step ran.</summary>
    public bool InOp;
    public bool Started;
    /// <summary>Flat index of the running operation (-1 for the PRI worker's requests).</summary>
    public int CurOp;
    public int CallTick;
    /// <summary>History entry of the running operation (first of its pages), or -1.</summary>
    public int HistoryFirst;
    public int HistoryCount;

    public CallStack Stack;
    public int Depth;
    /// <summary>
    /// A recipe the step that just ran calls before the recipe goes on (a notifier step calling the
    /// SVA driver's callback), as recipe id + 1; 0 when none. The interpreter pushes it right after
    /// the step, so the callee's steps run before the caller's next one.
    /// </summary>
    public byte PendingCall;
    public OpContext Ctx;

    /// <summary>Stopped for good (an endless fault loop or a zero-time loop was reported).</summary>
    public bool Halted;

    public readonly RecipeId CurrentRecipe => Stack[Depth - 1].Recipe;

    public readonly bool HasWork => InOp || NextOp < OpCount;
}
