using Fuzz.Model.Scenarios;

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
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                bool mustRun = cpu == forker;
                if (!mustRun && c.Chance(s.IdleCpuPercent)) continue;
                var ops = new List<Operation>();
                int n = c.Between(s.MinOps, s.MaxOps);
                for (int i = 0; i < n; i++) ops.Add(CpuOp());
                if (cpu == forker) ops.Insert(c.Next(ops.Count + 1), Operation.Fork());
                programs.Add(new AgentProgram(AgentKind.Cpu, cpu, cpu == childCpu ? 1 : 0, ops));
            }
            if (device)
            {
                var ops = new List<Operation>();
                int n = c.Between(s.MinOps, s.MaxOps);
                for (int i = 0; i < n; i++) ops.Add(DeviceOp());
                programs.Add(new AgentProgram(AgentKind.Device, 0, 0, ops));
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
            scenario = scenario with { Schedule = ScheduleGenerator.Draw(c, s, scenario) };
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

        private Operation DeviceOp() =>
            c.Next(s.DeviceOpWeight) < s.DmaReadWeight ? Operation.DmaRead(Page()) : Operation.DmaWrite(Page(), Value());

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
    }
}
