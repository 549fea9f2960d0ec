using Fuzz.Model.Kernel.Steps;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Trace;

namespace Fuzz.Model.Simulation;

/// <summary>
/// The recipe interpreter. One scheduled step of an agent runs its next shared step, then every
/// zero-time instruction after it (control flow, local steps) up to the next shared step, so the
/// agent always rests in front of a step that needs the scheduler.
/// </summary>
public sealed partial class Simulator
{
    private void RunAgent(int ai)
    {
        ref AgentState a = ref Agents[ai];
        if (!a.InOp) return;
        if (!a.Started) BeginOp(ai);
        bool ranShared = false;
        int budget = Options.ZeroTimeBudget;
        while (true)
        {
            if (--budget < 0)
            {
                ProgressOracle.ZeroTimeLoop(this, ai);
                return;
            }
            ref CallFrame f = ref a.Stack[a.Depth - 1];
            Instr[] code = Kernel.Recipe(f.Recipe).Code;
            if (f.Pc >= code.Length)
            {
                if (Return(ai, true)) return;
                continue;
            }
            ref readonly Instr ins = ref code[f.Pc];
            switch (ins.Kind)
            {
                case InstrKind.Label:
                    f.Pc++;
                    continue;
                case InstrKind.Goto:
                    f.Pc = ins.Target;
                    continue;
                case InstrKind.LoopBegin:
                    if (ins.Operand == Operand.Pmd)
                    {
                        a.Ctx.SliceFirst = a.Ctx.RangeFirst;
                        a.Ctx.SliceLast = Math.Min(a.Ctx.RangeLast, M.LastPageOfTable(a.Ctx.RangeFirst));
                    }
                    a.Ctx.Va = a.Ctx.SliceFirst;
                    f.Pc++;
                    continue;
                case InstrKind.LoopEnd:
                    if (ins.Operand == Operand.Pmd ? a.Ctx.SliceLast < a.Ctx.RangeLast : a.Ctx.Va < a.Ctx.SliceLast)
                    {
                        if (ins.Operand == Operand.Pmd)
                        {
                            a.Ctx.SliceFirst = a.Ctx.SliceLast + 1;
                            a.Ctx.SliceLast = Math.Min(a.Ctx.RangeLast, M.LastPageOfTable(a.Ctx.SliceFirst));
                            a.Ctx.Va = a.Ctx.SliceFirst;
                        }
                        else a.Ctx.Va++;
                        f.Pc = ins.Target;
                    }
                    else
                    {
                        f.Pc++;
                    }
                    continue;
                case InstrKind.Call:
                    f.Pc++;
                    if (ins.Guard != Instr.NoGuard && EditEffect(ref a, in ins) == EditSkipped) continue;
                    if (ins.Callee == RecipeId.handle_mm_fault) a.Ctx.ResetFault();
                    if (a.Depth == CallStack.Depth) throw new InvalidOperationException($"recipe calls nest deeper than {CallStack.Depth}");
                    a.Stack[a.Depth].Recipe = ins.Callee;
                    a.Stack[a.Depth].Pc = 0;
                    a.Depth++;
                    continue;
                case InstrKind.RmapBegin:
                    if (Rmap.First(this, ref a.Ctx, ins.Operand)) f.Pc++;
                    else f.Pc = ins.Target;
                    continue;
                case InstrKind.RmapNext:
                    if (Rmap.Next(this, ref a.Ctx, ins.Operand)) f.Pc = ins.Target;
                    else f.Pc++;
                    continue;
                case InstrKind.Return:
                    if (Return(ai, ins.BranchWhen)) return;
                    continue;
            }
            if (ins.IsEdited && EditEffect(ref a, in ins) is int effect and not EditRuns)
            {
                // A variant's edit: a step guarded out on this call path is skipped, a forced check
                // branches on its forced answer; neither runs the step, so neither takes time.
                f.Pc = effect != EditSkipped && ins.Kind == InstrKind.Check && (effect == EditForcedTrue) == ins.BranchWhen
                    ? ins.Target
                    : (short)(f.Pc + 1);
                continue;
            }
            bool local = StepCatalog.Info(ins.Step).Local;
            if (!local)
            {
                if (ranShared || !Steps.CanRun(this, ai, in ins)) return;
                ranShared = true;
            }
            ref TraceEvent ev = ref Trace.Append();
            ev.Tick = Tick;
            ev.Agent = (byte)ai;
            ev.Kind = TraceKind.Step;
            ev.Step = ins.Step;
            ev.Operand = ins.Operand;
            ev.Recipe = f.Recipe;
            ev.Local = local;
            ev.IsCheck = ins.Kind == InstrKind.Check;
            ev.Mm = (sbyte)a.Ctx.Mm;
            ev.Va = (sbyte)a.Ctx.Va;
            StepHits[(int)ins.Step]++;
            bool result = Steps.Run(this, ai, in ins);
            Trace.Last.Result = result;
            if (a.Halted) return;
            f.Pc = ins.Kind == InstrKind.Check && result == ins.BranchWhen ? ins.Target : (short)(f.Pc + 1);
            if (a.PendingCall != 0) PushPendingCall(ref a);
        }
    }

    /// <summary>A step asked to call a recipe (a notifier step calling the driver): enter it now, as a Call would.</summary>
    private static void PushPendingCall(ref AgentState a)
    {
        var callee = (RecipeId)(a.PendingCall - 1);
        a.PendingCall = 0;
        if (a.Depth == CallStack.Depth) throw new InvalidOperationException($"recipe calls nest deeper than {CallStack.Depth}");
        a.Stack[a.Depth].Recipe = callee;
        a.Stack[a.Depth].Pc = 0;
        a.Depth++;
    }

    /// <summary>
    /// Pop a frame with the callee's result; the caller's Call may branch on it. True when that
    /// finished the operation (the tick ends there).
    /// </summary>
    private bool Return(int ai, bool result)
    {
        ref AgentState a = ref Agents[ai];
        a.Depth--;
        if (a.Depth == 0)
        {
            CompleteOp(ai);
            return true;
        }
        ref CallFrame caller = ref a.Stack[a.Depth - 1];
        ref readonly Instr call = ref Kernel.Recipe(caller.Recipe).Code[caller.Pc - 1];
        if (call.Kind == InstrKind.Call && call.Target >= 0 && result == call.BranchWhen) caller.Pc = call.Target;
        return false;
    }

    internal const int EditRuns = 0, EditSkipped = 1, EditForcedTrue = 2, EditForcedFalse = 3;

    /// <summary>
    /// What an edited instruction does for this agent: a caller guard that does not hold (its
    /// recipe is, or is not, on the call stack) skips it; otherwise a forced check answers without
    /// running; otherwise it runs.
    /// </summary>
    internal static int EditEffect(ref AgentState a, in Instr ins)
    {
        if (ins.Guard != Instr.NoGuard)
        {
            bool onStack = false;
            for (int d = 0; d < a.Depth; d++)
            {
                if ((byte)a.Stack[d].Recipe == ins.Guard) onStack = true;
            }
            if (onStack != ins.GuardInside) return EditSkipped;
        }
        return ins.Forced < 0 ? EditRuns : ins.Forced == 1 ? EditForcedTrue : EditForcedFalse;
    }

    /// <summary>Stop an agent for good (after a progress violation naming it).</summary>
    internal void Halt(int ai)
    {
        Agents[ai].Halted = true;
    }
}
