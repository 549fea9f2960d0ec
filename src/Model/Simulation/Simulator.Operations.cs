using Fuzz.Model.Kernel;
using Fuzz.Model.Machine;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Trace;

namespace Fuzz.Model.Simulation;

/// <summary>Starting and ending operations: their locals, their history entries, their return-time oracles.</summary>
public sealed partial class Simulator
{
    /// <summary>The recipe an operation starts in (the device's page requests run iommu_do_fault on its worker).</summary>
    public static RecipeId TopRecipe(OpKind kind) => kind switch
    {
        OpKind.Load or OpKind.Store => RecipeId.cpu_access,
        OpKind.MadviseDontneed => RecipeId.madvise_dontneed,
        OpKind.Fork => RecipeId.fork,
        OpKind.OdirectRead => RecipeId.odirect_read,
        OpKind.KsmMerge => RecipeId.ksm_merge,
        OpKind.SwapOut => RecipeId.shrink_page_list,
        OpKind.Migrate => RecipeId.migrate_pages,
        _ => RecipeId.device_access,
    };

    /// <summary>Set up the agent's next operation (no step runs yet: the call happens when it is first scheduled).</summary>
    private void PrepareNextOp(int ai)
    {
        ref AgentState a = ref Agents[ai];
        a.InOp = false;
        a.Started = false;
        if (a.NextOp >= a.OpCount) return;
        int flat = a.OpFirst + a.NextOp++;
        Operation op = Ops[flat];
        a.CurOp = flat;
        StartFrame(ref a, TopRecipe(op.Kind));
        ref OpContext c = ref a.Ctx;
        c.Mm = a.Mm;
        c.Va = op.Va;
        c.RangeFirst = c.SliceFirst = op.Va;
        c.RangeLast = c.SliceLast = op.VaLast;
        c.Write = op.Kind is OpKind.Store or OpKind.DmaWrite or OpKind.OdirectRead;
        c.Value = op.Value;
        if (OpKinds.NamesMm(op.Kind))
        {
            c.Mm = op.Mm;
            c.Mm2 = op.Mm2;
            c.Va2 = op.Va2;
        }
        if (op.Kind == OpKind.Fork)
        {
            c.ChildMm = 1;
            c.RangeFirst = c.SliceFirst = 0;
            c.RangeLast = c.SliceLast = M.Pages - 1;
        }
    }

    /// <summary>The device queued a PRI request: the worker will handle it with iommu_do_fault.</summary>
    internal void PrepareWorkerRequest()
    {
        if (WorkerAgent < 0) return;
        ref AgentState w = ref Agents[WorkerAgent];
        if (w.InOp) return;
        w.CurOp = -1;
        StartFrame(ref w, RecipeId.iommu_do_fault);
        w.Started = false;
        ref OpContext c = ref w.Ctx;
        c.Mm = M.IommuMm;
        c.Va = M.PriVa;
        c.RangeFirst = c.RangeLast = c.SliceFirst = c.SliceLast = c.Va;
        c.Write = M.PriWrite;
        M.PriQueued = false;
    }

    /// <summary>
    /// A swap bio was submitted, or the swap device finished one: if it is idle, it takes the oldest
    /// bio waiting and will perform it (swap_bio_write or swap_bio_read).
    /// </summary>
    internal void PrepareDiskRequest()
    {
        if (DiskAgent < 0) return;
        ref AgentState d = ref Agents[DiskAgent];
        if (d.InOp || M.IoCount == 0) return;
        SwapIo io = M.NextSwapIo();
        d.CurOp = -1;
        StartFrame(ref d, io.Write ? RecipeId.swap_bio_write : RecipeId.swap_bio_read);
        ref OpContext c = ref d.Ctx;
        c.Bio = io;
        c.OldPfn = io.Pfn;
        c.Va = -1;
        c.RangeFirst = c.RangeLast = -1;
    }

    private static void StartFrame(ref AgentState a, RecipeId recipe)
    {
        a.InOp = true;
        a.Started = false;
        a.Depth = 1;
        a.Stack[0].Recipe = recipe;
        a.Stack[0].Pc = 0;
        byte held = a.Ctx.MmapReadHeld;
        a.Ctx = OpContext.Fresh;
        a.Ctx.MmapReadHeld = held;
    }

    /// <summary>The operation's first step is about to run: record the call and its history entries.</summary>
    private void BeginOp(int ai)
    {
        ref AgentState a = ref Agents[ai];
        a.Started = true;
        a.CallTick = Tick;
        a.HistoryFirst = -1;
        a.HistoryCount = 0;
        ref TraceEvent ev = ref Trace.Append();
        ev.Tick = Tick;
        ev.Agent = (byte)ai;
        ev.Kind = TraceKind.OpBegin;
        ev.Op = a.CurOp;
        ev.Mm = (sbyte)a.Ctx.Mm;
        ev.Va = (sbyte)a.Ctx.Va;
        ev.Result = a.Ctx.Write;
        if (ai == DiskAgent)
        {
            ev.Pfn = a.Ctx.Bio.Pfn;
            ev.Value = a.Ctx.Bio.Slot;
            ev.Result = a.Ctx.Bio.Write;
        }
        if (a.CurOp < 0) return;
        OpCall[a.CurOp] = Tick;
        Operation op = Ops[a.CurOp];
        ref OpContext c = ref a.Ctx;
        switch (op.Kind)
        {
            case OpKind.Load:
            case OpKind.DmaRead:
                AddHistory(ref a, HistoryKind.Read, ai, c.Mm, op.Va, 0);
                break;
            case OpKind.Store:
            case OpKind.DmaWrite:
            case OpKind.OdirectRead:
                AddHistory(ref a, HistoryKind.Write, ai, c.Mm, op.Va, op.Value);
                break;
            case OpKind.MadviseDontneed:
                for (int va = op.Va; va <= op.VaLast; va++)
                {
                    AddHistory(ref a, HistoryKind.Zap, ai, c.Mm, va, 0);
                    c.Seen[va] = M.VersionOf(c.Mm, va);
                }
                break;
            case OpKind.Fork:
                for (int va = 0; va < M.Pages; va++)
                {
                    AddHistory(ref a, HistoryKind.ForkCopy, ai, c.ChildMm, va, 0);
                    c.Seen[va] = M.VersionOf(c.Mm, va);
                }
                break;
        }
    }

    private void AddHistory(ref AgentState a, HistoryKind kind, int ai, int mm, int va, int value)
    {
        int idx = History.Add(kind, ai, mm, va, value, Tick, a.CurOp);
        if (a.HistoryFirst < 0) a.HistoryFirst = idx;
        a.HistoryCount++;
    }

    /// <summary>The operation returned: close its history entries, run the return-time oracles, prepare the next.</summary>
    private void CompleteOp(int ai)
    {
        ref AgentState a = ref Agents[ai];
        ref TraceEvent ev = ref Trace.Append();
        ev.Tick = Tick;
        ev.Agent = (byte)ai;
        ev.Kind = TraceKind.OpEnd;
        ev.Op = a.CurOp;
        if (a.CurOp >= 0)
        {
            OpReturn[a.CurOp] = Tick;
            Operation op = Ops[a.CurOp];
            for (int i = 0; i < a.HistoryCount; i++)
            {
                int index = a.HistoryFirst + i;
                ref HistoryEvent h = ref History[index];
                h.Return = Tick;
                if (h.Kind == HistoryKind.Read) h.Value = a.Ctx.Value;
                if (h.Kind != HistoryKind.Zap) continue;
                int ret = History.Add(HistoryKind.ZapReturn, ai, h.Mm, h.Va, 0, Tick, a.CurOp);
                History[ret].Return = Tick;
                History[ret].Link = index;
            }
            if (op.Kind is OpKind.Load or OpKind.DmaRead) ev.Value = a.Ctx.Value;
            StaleTlbOracle.CheckReturn(this, ai, op);
        }
        a.InOp = false;
        if (ai == WorkerAgent) return;
        if (ai == DiskAgent)
        {
            PrepareDiskRequest();
            return;
        }
        PrepareNextOp(ai);
    }
}
