using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>
/// The step implementations, one method per <see cref="StepId"/>, each named after the kernel
/// function (or hardware action) it stands for and marked with its catalog entry
/// (<see cref="StepAttribute"/>). Each is one atomic action on the machine, written against the
/// kernel function it is named after (see the files beside this one).
/// </summary>
internal static partial class Steps
{
    /// <summary>Whether the step can run now (locks free, waited-for condition true).</summary>
    public static bool CanRun(Simulator s, int ai, in Instr ins) =>
        StepCatalog.Ready[(int)ins.Step] is not { } ready || ready(s, ai, in ins);

    /// <summary>Run the step; the answer matters for checks (and says "did something" otherwise).</summary>
    public static bool Run(Simulator s, int ai, in Instr ins) => StepCatalog.Run[(int)ins.Step](s, ai, in ins);

    /// <summary>The mm a step acts on: the operation's, or for <see cref="Operand.Child"/> fork's child.</summary>
    internal static int MmOf(ref AgentState a, Operand operand) =>
        operand == Operand.Child ? a.Ctx.ChildMm : a.Ctx.Mm;

    /// <summary>The frame a page step acts on, by role: vmf->page (default), new_page, tree_page, kpage, ...</summary>
    internal static int PageOf(ref AgentState a, Operand operand) => operand switch
    {
        Operand.NewPage => a.Ctx.NewPfn,
        Operand.Tree => a.Ctx.TreePfn,
        Operand.KPage => a.Ctx.KPfn,
        Operand.Target => a.Ctx.TargetPfn,
        Operand.Pin => a.Ctx.PinPfn,
        Operand.BreakPage => a.Ctx.BreakPfn,
        _ => a.Ctx.OldPfn,
    };
}
