using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;

namespace Fuzz.Model.Simulation;

/// <summary>Saving and restoring the simulator's state in place, for exhaustive search.</summary>
public sealed partial class Simulator
{
    /// <summary>A snapshot buffer shaped for this simulator (allocate once, reuse).</summary>
    public SimSnapshot NewSnapshot() => new(this);

    /// <summary>Copy the current state into <paramref name="s"/> (allocates nothing).</summary>
    public void Save(SimSnapshot s)
    {
        MachineState m = M;
        m.Frames.CopyTo(s.Frames, 0);
        m.FreeStack.CopyTo(s.FreeStack, 0);
        s.FreeCount = m.FreeCount;
        m.PageTable.CopyTo(s.PageTable, 0);
        m.PteVersion.CopyTo(s.PteVersion, 0);
        m.MmStates.CopyTo(s.MmStates, 0);
        m.PtlOwner.CopyTo(s.PtlOwner, 0);
        m.Tlb.CopyTo(s.Tlb, 0);
        s.IommuMm = m.IommuMm;
        m.Atc.CopyTo(s.Atc, 0);
        m.Iotlb.CopyTo(s.Iotlb, 0);
        m.Ats.CopyTo(s.Ats, 0);
        m.IommuQueue.CopyTo(s.IommuQueue, 0);
        m.IoQueue.CopyTo(s.IoQueue, 0);
        s.IoHead = m.IoHead;
        s.IoCount = m.IoCount;
        m.SwapContent.CopyTo(s.SwapContent, 0);
        m.SwapCount.CopyTo(s.SwapCount, 0);
        m.SwapCacheFrame.CopyTo(s.SwapCacheFrame, 0);
        m.SwapUsed.CopyTo(s.SwapUsed, 0);
        s.PriQueued = m.PriQueued;
        s.PriResponded = m.PriResponded;
        s.PriVa = m.PriVa;
        s.PriWrite = m.PriWrite;
        Agents.CopyTo(s.Agents, 0);
        OpCall.CopyTo(s.OpCall, 0);
        OpReturn.CopyTo(s.OpReturn, 0);
        s.HistoryCount = History.Count;
        History.Events.CopyTo(s.History);
        s.Tick = Tick;
        s.Deadlocked = Deadlocked;
    }

    /// <summary>Return to the state saved in <paramref name="s"/>; the trace and the violations start empty.</summary>
    public void Restore(SimSnapshot s)
    {
        MachineState m = M;
        s.Frames.CopyTo(m.Frames, 0);
        s.FreeStack.CopyTo(m.FreeStack, 0);
        m.FreeCount = s.FreeCount;
        s.PageTable.CopyTo(m.PageTable, 0);
        s.PteVersion.CopyTo(m.PteVersion, 0);
        s.MmStates.CopyTo(m.MmStates, 0);
        s.PtlOwner.CopyTo(m.PtlOwner, 0);
        s.Tlb.CopyTo(m.Tlb, 0);
        m.IommuMm = s.IommuMm;
        s.Atc.CopyTo(m.Atc, 0);
        s.Iotlb.CopyTo(m.Iotlb, 0);
        s.Ats.CopyTo(m.Ats, 0);
        s.IommuQueue.CopyTo(m.IommuQueue, 0);
        s.IoQueue.CopyTo(m.IoQueue, 0);
        m.IoHead = s.IoHead;
        m.IoCount = s.IoCount;
        s.SwapContent.CopyTo(m.SwapContent, 0);
        s.SwapCount.CopyTo(m.SwapCount, 0);
        s.SwapCacheFrame.CopyTo(m.SwapCacheFrame, 0);
        s.SwapUsed.CopyTo(m.SwapUsed, 0);
        m.PriQueued = s.PriQueued;
        m.PriResponded = s.PriResponded;
        m.PriVa = s.PriVa;
        m.PriWrite = s.PriWrite;
        s.Agents.CopyTo(Agents, 0);
        s.OpCall.CopyTo(OpCall, 0);
        s.OpReturn.CopyTo(OpReturn, 0);
        History.Load(s.History.AsSpan(0, s.HistoryCount));
        Tick = s.Tick;
        Deadlocked = s.Deadlocked;
        Trace.Clear();
        Violations.Clear();
    }

    /// <summary>
    /// The checks of a run's end that look at the final state (deadlock, quiescent accounting), without
    /// the history-based linearizability check: an exhaustive search checks that online instead.
    /// </summary>
    public void CheckEndState()
    {
        bool workLeft = false;
        for (int i = 0; i < Agents.Length; i++)
        {
            if (Agents[i].HasWork && !Agents[i].Halted) workLeft = true;
        }
        if (workLeft && !AnyAgentEnabled())
        {
            Deadlocked = true;
            ProgressOracle.Deadlock(this);
        }
        OracleChecks[(int)OracleId.Progress]++;
        if (!workLeft) AccountingOracle.CheckQuiescent(this);
    }
}
