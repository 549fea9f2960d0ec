using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>fork's task-level steps: the child mm appears, and later its tasks may run.</summary>
internal static partial class Steps
{
    [Step(StepCategory.Task, "fork: the child mm exists (its tasks do not run yet)")]
    internal static bool dup_mm(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref var child = ref s.M.MmStates[c.ChildMm];
        child.Exists = true;
        child.Running = false;
        s.M.MmStates[c.Mm].ForkInProgress = true;
        s.Trace.Last.Mm = (sbyte)c.ChildMm;
        return true;
    }

    [Step(StepCategory.Task, "fork returns: the child's tasks may run")]
    internal static bool wake_up_new_task(Simulator s, int ai, in Instr ins)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.M.MmStates[c.ChildMm].Running = true;
        s.M.MmStates[c.Mm].ForkInProgress = false;
        s.Trace.Last.Mm = (sbyte)c.ChildMm;
        return true;
    }
}
