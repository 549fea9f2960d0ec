using System.Runtime.CompilerServices;
using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Verification;

/// <summary>The agents: program position, recipe stack, locals.</summary>
public sealed partial class StateCodec
{
    private static readonly OpContext Fresh = OpContext.Fresh;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AgentFields(int ai)
    {
        ref AgentState a = ref _s.Agents[ai];
        _b.Int(ref a.NextOp);
        _b.Bool(ref a.InOp);
        _b.Bool(ref a.Started);
        _b.Int(ref a.CurOp);
        _b.Bool(ref a.Halted);
        _b.Int(ref a.Depth);
        _b.U8(ref a.PendingCall);
        for (int d = 0; d < a.Depth; d++)
        {
            ref CallFrame f = ref a.Stack[d];
            byte recipe = (byte)f.Recipe;
            _b.U8(ref recipe);
            f.Recipe = (RecipeId)recipe;
            _b.Short(ref f.Pc);
        }
        if (_b.Reading)
        {
            for (int d = a.Depth; d < CallStack.Depth; d++) a.Stack[d] = default;
            a.CallTick = 0;
        }
        ref OpContext c = ref a.Ctx;
        if (!a.InOp)
        {
            // Between operations only what outlives one: mmap_sem read holds (StartFrame keeps them)
            // and an O_DIRECT pin a variant never dropped (page_maybe_dma_pinned reads every agent's).
            if (_b.Reading) c = default;
            _b.U8(ref c.MmapReadHeld);
            Pfn(ref c.PinPfn);
            Generation(ref c.PinGen, c.PinPfn);
            return;
        }
        ContextFields(ref a, ref c);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ContextFields(ref AgentState a, ref OpContext c)
    {
        _b.Int(ref c.Mm);
        _b.Int(ref c.ChildMm);
        _b.Int(ref c.Va);
        _b.Int(ref c.RangeFirst);
        _b.Int(ref c.RangeLast);
        _b.Int(ref c.SliceFirst);
        _b.Int(ref c.SliceLast);
        _b.Bool(ref c.Write);
        _b.Bool(ref c.FaultWrite);
        _b.Int(ref c.Value);
        PteField(ref c.OrigPte);
        PteField(ref c.NewEntry);
        Pfn(ref c.OldPfn);
        Pfn(ref c.NewPfn);
        _b.Int(ref c.CopySeq);
        // KSM's and migration's locals, as every other operation leaves them (OpContext.Fresh): one byte.
        bool merging = !_b.Reading && (c.Mm2 != Fresh.Mm2 || c.Va2 != Fresh.Va2 || c.TreePfn != Fresh.TreePfn || c.KPfn != Fresh.KPfn || c.TargetPfn != Fresh.TargetPfn || c.Moved != Fresh.Moved || c.BreakPfn != Fresh.BreakPfn);
        _b.Bool(ref merging);
        if (merging)
        {
            _b.Int(ref c.Mm2);
            _b.Int(ref c.Va2);
            Pfn(ref c.TreePfn);
            Pfn(ref c.KPfn);
            Pfn(ref c.TargetPfn);
            _b.Bool(ref c.Moved);
            Pfn(ref c.BreakPfn);
        }
        else if (_b.Reading)
        {
            c.Mm2 = Fresh.Mm2;
            c.Va2 = Fresh.Va2;
            c.TreePfn = Fresh.TreePfn;
            c.KPfn = Fresh.KPfn;
            c.TargetPfn = Fresh.TargetPfn;
            c.Moved = Fresh.Moved;
            c.BreakPfn = Fresh.BreakPfn;
        }
        Pfn(ref c.PinPfn);
        Generation(ref c.PinGen, c.PinPfn);
        PteField(ref c.PteVal);
        _b.Int(ref c.WritebackSlot);
        Pfn(ref c.CopyDst);
        _b.Bool(ref c.PageWasAllocated);
        _b.Bool(ref c.AllowRetry);
        // Reclaim's and the swap device's locals, as every other operation leaves them (OpContext.Fresh): one byte.
        bool reclaiming = !_b.Reading && (c.BatchSnapshot != Fresh.BatchSnapshot || c.Young != Fresh.Young || c.Referenced != Fresh.Referenced
            || c.UbcPending != Fresh.UbcPending || c.UbcWritable != Fresh.UbcWritable || c.UbcMms != Fresh.UbcMms
            || c.Bio.Pfn != Fresh.Bio.Pfn || c.Bio.Slot != Fresh.Bio.Slot || c.Bio.Write != Fresh.Bio.Write || c.Bio.Generation != Fresh.Bio.Generation);
        _b.Bool(ref reclaiming);
        if (reclaiming)
        {
            _b.Int(ref c.BatchSnapshot);
            _b.Bool(ref c.Young);
            _b.Bool(ref c.Referenced);
            Bio(ref c.Bio);
            _b.Bool(ref c.UbcPending);
            _b.Bool(ref c.UbcWritable);
            _b.U8(ref c.UbcMms);
        }
        else if (_b.Reading)
        {
            c.BatchSnapshot = Fresh.BatchSnapshot;
            c.Young = Fresh.Young;
            c.Referenced = Fresh.Referenced;
            c.UbcPending = Fresh.UbcPending;
            c.UbcWritable = Fresh.UbcWritable;
            c.UbcMms = Fresh.UbcMms;
            c.Bio = Fresh.Bio;
        }
        // An empty gather range (int.MaxValue..int.MinValue): one byte, not ten.
        bool gathered = !(c.GatherFirst == Fresh.GatherFirst && c.GatherLast == Fresh.GatherLast);
        _b.Bool(ref gathered);
        if (gathered)
        {
            _b.Int(ref c.GatherFirst);
            _b.Int(ref c.GatherLast);
        }
        else if (_b.Reading) c.ResetGatherRange();
        _b.Int(ref c.GatherCount);
        for (int i = 0; i < c.GatherCount; i++)
        {
            short pfn = c.GatherPages[i];
            Pfn(ref pfn);
            c.GatherPages[i] = pfn;
        }
        if (_b.Reading)
        {
            for (int i = c.GatherCount; i < Limits.GatherBatch; i++) c.GatherPages[i] = 0;
        }
        _b.Bool(ref c.InGather);
        _b.Int(ref c.NotifyFirst);
        _b.Int(ref c.NotifyLast);
        _b.U8(ref c.MmapReadHeld);
        Pfn(ref c.CopySrc);
        Pfn(ref c.ClearedPfn);
        bool seen = SeenLive(ref a);
        for (int va = 0; va < Limits.MaxPages; va++)
        {
            if (seen && va >= c.RangeFirst && va <= c.RangeLast) Version(ref c.Seen[va], c.Mm * _m.Pages + va);
            else if (_b.Reading) c.Seen[va] = 0;
        }
        _b.Int(ref c.Faults);
    }
}
