using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;

namespace Fuzz.Model.Simulation;

/// <summary>
/// A copy of everything a simulator's future depends on: the machine, the agents, the register
/// history and the clock. Sized once for one simulator; <see cref="Simulator.Save"/> and
/// <see cref="Simulator.Restore"/> copy arrays in place, so an exhaustive search can go back to a
/// state without allocating. Trace and violations are not kept: a search clears them at each
/// restore and reads only what the next action appends.
/// </summary>
public sealed class SimSnapshot
{
    internal readonly Frame[] Frames;
    internal readonly short[] FreeStack;
    internal int FreeCount;
    internal readonly Pte[] PageTable;
    internal readonly int[] PteVersion;
    internal readonly MmState[] MmStates;
    internal readonly byte[] PtlOwner;
    internal readonly TlbEntry[] Tlb;
    internal int IommuMm;
    internal readonly TlbEntry[] Atc;
    internal readonly TlbEntry[] Iotlb;
    internal readonly AtsRequest[] Ats;
    internal readonly IommuCommand[] IommuQueue;
    internal readonly SwapIo[] IoQueue;
    internal int IoHead;
    internal int IoCount;
    internal readonly int[] SwapContent;
    internal readonly short[] SwapCount;
    internal readonly short[] SwapCacheFrame;
    internal readonly bool[] SwapUsed;
    internal bool PriQueued;
    internal bool PriResponded;
    internal byte PriVa;
    internal bool PriWrite;

    internal readonly AgentState[] Agents;
    internal readonly int[] OpCall;
    internal readonly int[] OpReturn;
    internal readonly HistoryEvent[] History;
    internal int HistoryCount;
    internal int Tick;
    internal bool Deadlocked;

    internal SimSnapshot(Simulator s)
    {
        MachineState m = s.M;
        Frames = new Frame[m.Frames.Length];
        FreeStack = new short[m.FreeStack.Length];
        PageTable = new Pte[m.PageTable.Length];
        PteVersion = new int[m.PteVersion.Length];
        MmStates = new MmState[m.MmStates.Length];
        PtlOwner = new byte[m.PtlOwner.Length];
        Tlb = new TlbEntry[m.Tlb.Length];
        Atc = new TlbEntry[m.Atc.Length];
        Iotlb = new TlbEntry[m.Iotlb.Length];
        Ats = new AtsRequest[m.Ats.Length];
        IommuQueue = new IommuCommand[m.IommuQueue.Length];
        IoQueue = new SwapIo[m.IoQueue.Length];
        SwapContent = new int[m.SwapContent.Length];
        SwapCount = new short[m.SwapCount.Length];
        SwapCacheFrame = new short[m.SwapCacheFrame.Length];
        SwapUsed = new bool[m.SwapUsed.Length];
        Agents = new AgentState[s.Agents.Length];
        OpCall = new int[s.OpCall.Length];
        OpReturn = new int[s.OpReturn.Length];
        History = new HistoryEvent[s.History.Capacity];
    }
}
