using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;

namespace Fuzz.Generators;

/// <summary>
/// The scenario space, defined once: from a source of choices and the settings, a scenario with
/// its machine shape, initial mappings, each agent's program and the schedule (scheduler choices
/// as data). Values written are distinct, so a read names the write it saw; addresses collide by
/// design, so operations race.
/// </summary>
public static class ScenarioGenerator
{
    public static Scenario Generate(IChoices c, GeneratorSettings s, string kernel)
    {
        var g = new Builder(c, s);
        return g.Build(kernel);
    }

    private sealed class Builder(IChoices c, GeneratorSettings s)
    {
        private readonly List<int> _used = new();
        private readonly List<int> _devicePages = new();
        private int _nextValue = 1;
        private int _pages;
        private bool _forking;

        public Scenario Build(string kernel)
        {
            int cpus = c.Between(s.MinCpus, s.MaxCpus);
            _pages = c.Between(s.MinPages, s.MaxPages);
            bool device = c.Chance(s.DevicePercent);
            bool fork = c.Chance(s.ForkPercent);
            _forking = fork;
            bool second = !fork && c.Chance(s.SecondProcessPercent);

            var initial = new List<InitialPage>();
            for (int va = 0; va < _pages; va++)
            {
                int w = c.Next(s.PageWeight);
                if (w < s.PageNoneWeight) continue;
                if (w < s.PageNoneWeight + s.PageZeroWeight)
                {
                    initial.Add(new InitialPage(0, va, InitialPageKind.Zero, Writable: false));
                    continue;
                }
                if (w < s.PageNoneWeight + s.PageZeroWeight + s.PageSwappedWeight)
                {
                    initial.Add(new InitialPage(0, va, InitialPageKind.Swapped, Value(), Writable: false));
                    continue;
                }
                initial.Add(new InitialPage(0, va, InitialPageKind.Value, Value(), Writable: !c.Chance(s.ReadOnlyPercent), Old: c.Chance(s.OldPagePercent)));
            }
            if (second)
            {
                foreach (InitialPage p in initial.ToArray())
                {
                    if (p.Kind == InitialPageKind.Value && c.Chance(60))
                        initial.Add(new InitialPage(1, p.Va, InitialPageKind.SharedWith, SharedMm: 0, SharedVa: p.Va));
                }
            }

            int childCpu = (fork && cpus > 1 && c.Chance(s.ChildCpuPercent)) || (second && cpus > 1 && c.Chance(70)) ? cpus - 1 : -1;
            int forker = fork ? c.Next(childCpu >= 0 ? cpus - 1 : cpus) : -1;
            var programs = new List<AgentProgram>();
            int totalOps = 0;
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                bool mustRun = cpu == forker;
                if (!mustRun && c.Chance(s.IdleCpuPercent)) continue;
                var ops = new List<Operation>();
                int n = c.Between(s.MinOps, s.MaxOps);
                for (int i = 0; i < n; i++) ops.Add(CpuOp());
                if (cpu == forker) ops.Insert(c.Next(ops.Count + 1), Operation.Fork());
                programs.Add(new AgentProgram(AgentKind.Cpu, cpu, cpu == childCpu ? 1 : 0, ops));
                totalOps += ops.Count;
            }
            if (device)
            {
                var ops = new List<Operation>();
                int n = c.Between(s.MinOps, s.MaxOps);
                for (int i = 0; i < n; i++) ops.Add(DeviceOp());
                programs.Add(new AgentProgram(AgentKind.Device, 0, 0, ops));
                totalOps += ops.Count;
            }
            int mms = fork || second ? 2 : 1;
            foreach (var (kind, percent) in new[] { (AgentKind.Ksmd, s.KsmdPercent), (AgentKind.Kswapd, s.KswapdPercent), (AgentKind.Kcompactd, s.KcompactdPercent) })
            {
                if (!c.Chance(percent)) continue;
                var ops = new List<Operation>();
                int n = c.Between(1, s.MaxKthreadOps);
                for (int i = 0; i < n; i++)
                {
                    Operation op = KthreadOp(kind, mms);
                    // kswapd finds a page it kept (activated, or under writeback) again on a later pass.
                    int passes = kind == AgentKind.Kswapd ? c.Between(1, s.MaxReclaimPasses) : 1;
                    for (int pass = 0; pass < passes; pass++) ops.Add(op);
                }
                programs.Add(new AgentProgram(kind, 0, 0, ops));
                totalOps += ops.Count;
            }
            // Only reclaim reads the accessed bit: without kswapd an old page would only add
            // accessed-bit flips that make faults' pte_same() fail and retry.
            if (!programs.Any(p => p.Kind == AgentKind.Kswapd))
            {
                for (int i = 0; i < initial.Count; i++) initial[i] = initial[i] with { Old = false };
            }

            var scenario = new Scenario
            {
                Kernel = kernel,
                Cpus = cpus,
                Pages = _pages,
                DeviceMm = device ? 0 : null,
                InitialPages = initial,
                Programs = programs,
            };
            scenario = scenario with { Schedule = Schedule(scenario, totalOps) };
            // Drawn last, so that the rest of a seed's scenario does not depend on it.
            int? secondPmd = _pages > 1 && c.Chance(s.SecondPmdPercent) ? 1 + c.Next(_pages - 1) : null;
            return scenario with { SecondPmd = secondPmd };
        }

        /// <summary>A value to write: usually a fresh one, sometimes one already written (identical pages for KSM).</summary>
        private int Value()
        {
            if (_nextValue > 1 && c.Chance(s.DuplicateValuePercent)) return 1 + c.Next(_nextValue - 1);
            return _nextValue++;
        }

        private Operation CpuOp()
        {
            // open(2): "O_DIRECT I/Os should never be run concurrently with the fork(2) system call,
            // if the memory buffer is a private mapping" -- so no O_DIRECT where someone forks.
            int odirect = _forking ? 0 : s.OdirectWeight;
            int w = c.Next(s.CpuOpWeight - s.OdirectWeight + odirect);
            if (w < s.LoadWeight) return Operation.Load(Page());
            if (w < s.LoadWeight + s.StoreWeight) return Operation.Store(Page(), Value());
            if (w < s.LoadWeight + s.StoreWeight + odirect) return Operation.OdirectRead(Page(), Value());
            int first = Page();
            int span = Math.Min(c.Between(1, s.MaxMadvisePages), _pages - first);
            return Operation.Madvise(first, first + span - 1);
        }

        private Operation DeviceOp()
        {
            Operation op = c.Next(s.DeviceOpWeight) < s.DmaReadWeight ? Operation.DmaRead(Page()) : Operation.DmaWrite(Page(), Value());
            _devicePages.Add(op.Va);
            return op;
        }

        private Operation KthreadOp(AgentKind kind, int mms)
        {
            int mm = c.Next(mms), va = Page();
            return kind switch
            {
                AgentKind.Ksmd => Operation.KsmMerge(mm, va, c.Next(mms), OtherPage(va, mms)),
                AgentKind.Kswapd => Operation.SwapOut(mm, va),
                _ => Operation.Migrate(mm, va),
            };
        }

        /// <summary>KSM's second page: another page, or the same page of the other mm.</summary>
        private int OtherPage(int va, int mms) => _pages > 1 ? (va + 1 + c.Next(_pages - 1)) % _pages : va;

        /// <summary>An address: usually one already used (so operations collide), else any.</summary>
        private int Page()
        {
            int va = _used.Count > 0 && c.Chance(s.CollidePercent) ? _used[c.Next(_used.Count)] : c.Next(_pages);
            _used.Add(va);
            return va;
        }

        /// <summary>
        /// Scheduler choices as data: agent tokens among the agents that have work (with a device:
        /// its PRI worker and the IOMMU, whose tokens are its walks and command executions, and
        /// sometimes the completion of a speculative request), and sometimes an optional hardware
        /// action: a CPU's TLB fill or eviction, the device's speculative translation request or
        /// ATC eviction, the IOMMU's IOTLB eviction. Tokens whose action is not enabled at their
        /// turn are skipped.
        /// </summary>
        private List<SchedAction> Schedule(Scenario sc, int totalOps)
        {
            AgentLayout layout = sc.Layout;
            var agents = new List<int>();
            foreach (AgentProgram p in sc.Programs) agents.Add(layout.IndexOf(p));
            if (sc.HasDevice)
            {
                agents.Add(layout.Worker);
                agents.Add(layout.Iommu);
            }
            if (layout.Disk >= 0) agents.Add(layout.Disk);
            int length = totalOps * s.ScheduleTokensPerOp;
            var schedule = new List<SchedAction>(length);
            // The CPUs' TLBs, then (with a device) the device's ATC and the IOMMU's IOTLB.
            int caches = sc.Cpus + (sc.HasDevice ? 2 : 0);
            int last = -1;
            for (int i = 0; i < length; i++)
            {
                if (c.Chance(s.HardwarePercent))
                {
                    int cache = c.Next(caches);
                    int va = c.Next(_pages);
                    bool fill = c.Chance(65);
                    schedule.Add(cache < sc.Cpus ? (fill ? SchedAction.Fill(cache, va) : SchedAction.Evict(cache, va))
                        : cache == sc.Cpus ? (fill ? SchedAction.AtsRequest(layout.Device, va) : SchedAction.Evict(layout.Device, va))
                        : fill ? SchedAction.Walk(layout.Iommu, va) : SchedAction.IotlbEvict(layout.Iommu, va));
                }
                else if (agents.Count > 0)
                {
                    // (Settings may leave every CPU idle and no device or thread: then only hardware acts.)
                    if (last < 0 || !c.Chance(s.StickyPercent)) last = agents[c.Next(agents.Count)];
                    schedule.Add(AgentToken(layout, last));
                }
            }
            return schedule;
        }

        /// <summary>An agent's token: its step; for the IOMMU a walk of a page the device uses or the execution of a queued command.</summary>
        private SchedAction AgentToken(AgentLayout layout, int agent)
        {
            if (agent == layout.Iommu)
                return c.Chance(50) ? SchedAction.Command(agent, c.Chance(85) ? 0 : 1) : SchedAction.Walk(agent, DevicePage());
            if (agent == layout.Device && c.Chance(20)) return SchedAction.Complete(agent, DevicePage());
            return SchedAction.Step(agent);
        }

        /// <summary>A page the device's operations use (where its translations are), else any.</summary>
        private int DevicePage() => _devicePages.Count > 0 ? _devicePages[c.Next(_devicePages.Count)] : c.Next(_pages);
    }
}
