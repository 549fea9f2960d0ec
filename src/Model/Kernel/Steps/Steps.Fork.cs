using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel.Steps;

/// <summary>fork's task-level steps: the child mm appears, and later its tasks may run.</summary>
internal static partial class Steps
{
    private static bool DupMm(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        ref var child = ref s.M.MmStates[c.ChildMm];
        child.Exists = true;
        child.Running = false;
        s.M.MmStates[c.Mm].ForkInProgress = true;
        s.Trace.Last.Mm = (sbyte)c.ChildMm;
        return true;
    }

    private static bool WakeUpNewTask(Simulator s, int ai)
    {
        ref OpContext c = ref s.Agents[ai].Ctx;
        s.M.MmStates[c.ChildMm].Running = true;
        s.M.MmStates[c.Mm].ForkInProgress = false;
        s.Trace.Last.Mm = (sbyte)c.ChildMm;
        return true;
    }
}
