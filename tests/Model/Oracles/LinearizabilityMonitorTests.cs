using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Model.Oracles;

/// <summary>
/// The online monitor against the offline checker on the same histories. Two sources: random
/// histories of the shape the simulator records (each agent one operation at a time, reads with
/// random values, so that about half are not linearizable), and real runs: generated scenarios and
/// every regression scenario under its kernel (the shipped buggy variants among them), with random
/// schedules and their own. Both must give the same verdict every time, and enough runs must be
/// non-linearizable for the comparison to mean something.
/// </summary>
public class LinearizabilityMonitorTests
{
    private static string Root => KernelLoader.RepoRoot(AppContext.BaseDirectory)!;

    [Fact]
    public void Agrees_with_the_offline_checker_on_random_histories()
    {
        int violated = 0;
        for (int seed = 1; seed <= 20000; seed++)
        {
            var rng = new Pcg32((ulong)seed);
            int pages = 1 + rng.Next(2);
            var initial = new int[2, pages];
            for (int mm = 0; mm < 2; mm++)
            {
                for (int va = 0; va < pages; va++) initial[mm, va] = rng.Next(3);
            }
            var history = new History(256);
            var monitor = new LinearizabilityMonitor(pages, agents: 4, values: [0, 1, 2, 3, 4, 5], (mm, va) => initial[mm, va]);
            RandomHistory(ref rng, history, monitor, pages);
            bool offline = false;
            for (int va = 0; va < pages; va++)
            {
                if (!PageLinearizable(history.Events, va, new RegisterState(initial[0, va], initial[1, va]))) offline = true;
            }
            Assert.True(offline == monitor.Violated, $"history {seed}: offline {offline}, monitor {monitor.Violated}\n{Dump(history)}");
            if (offline) violated++;
        }
        Assert.InRange(violated, 4000, 16000);
    }

    [Theory]
    [InlineData("v4.14")]
    [InlineData("seed-a")]
    [InlineData("seed-b")]
    public void Agrees_with_the_offline_checker_on_generated_runs(string kernelName)
    {
        KernelDefinition kernel = KernelLoader.Load(kernelName, Path.Combine(Root, "kernels"));
        for (ulong seed = 1; seed <= 3000; seed++)
        {
            Scenario sc = ScenarioGenerator.Generate(new PcgChoices(seed * 7919), GeneratorSettings.Default, kernelName);
            IScheduleStrategy strategy = seed % 2 == 0 ? new ScriptStrategy(sc.Schedule) : new RandomStrategy(seed, hardwarePercent: 25);
            CheckRun(kernel, sc, strategy, $"seed {seed}");
        }
    }

    [Fact]
    public void Agrees_with_the_offline_checker_on_the_regression_scenarios()
    {
        int violated = 0, runs = 0, counterexamples = 0;
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, "tests", "Regressions"), "*.scenario").Order(StringComparer.Ordinal))
        {
            Scenario sc = ScenarioParser.Load(file);
            KernelDefinition kernel = KernelLoader.Load(sc.Kernel, Path.GetDirectoryName(file));
            ReplayResult own = Replayer.Run(sc, kernel);
            if (own.Violates(OracleId.Linearizability) || own.Sim.Violations.Items.ToArray().Any(v => v.Code == ViolationCode.ValueFromOtherMm)) counterexamples++;
            for (ulong k = 0; k <= 200; k++)
            {
                IScheduleStrategy strategy = k == 0 ? new ScriptStrategy(sc.Schedule) : new RandomStrategy(k, hardwarePercent: (int)(k % 40));
                if (CheckRun(kernel, sc, strategy, $"{Path.GetFileName(file)} #{k}") is not { } v) continue;
                runs++;
                if (v) violated++;
            }
        }
        // Every counterexample the checker reports under its own schedule, and then some.
        Assert.True(counterexamples >= 4, $"only {counterexamples} regression scenarios are linearizability counterexamples");
        Assert.True(violated >= counterexamples, $"only {violated} of {runs} runs were not linearizable");
    }

    [Fact]
    public void Seed_b_thread_schedule_is_caught_online_at_the_device_read()
    {
        Scenario sc = TestKit.Scenario(LinearizabilityOracleTests.SeedB(LinearizabilityOracleTests.CachedThenCow));
        var sim = new Simulator(TestKit.Variant("remove wp_page_copy mmu_notifier_invalidate_range"), sc);
        var monitor = new LinearizabilityMonitor(sim);
        var script = new ScriptStrategy(sc.Schedule);
        Span<SchedAction> buf = stackalloc SchedAction[sim.MaxActions];
        for (int i = 0; i < sc.Schedule.Count; i++)
        {
            int n = sim.CollectEnabled(buf, out int agents);
            sim.Execute(buf[script.Choose(buf[..n], agents)]);
            monitor.Observe(sim);
            Assert.Equal(i == sc.Schedule.Count - 1, monitor.Violated);
        }
        Assert.Equal(sim.DeviceAgent, monitor.ViolationAgent);
    }

    /// <summary>One run with the monitor fed after every action; null when the model refused the scenario.</summary>
    private static bool? CheckRun(KernelDefinition kernel, Scenario sc, IScheduleStrategy strategy, string what)
    {
        Simulator sim;
        LinearizabilityMonitor monitor;
        try
        {
            sim = new Simulator(kernel, sc);
            monitor = new LinearizabilityMonitor(sim);
            Span<SchedAction> buf = stackalloc SchedAction[sim.MaxActions];
            while (sim.Tick < sim.Options.MaxTicks)
            {
                int n = sim.CollectEnabled(buf, out int agents);
                if (agents == 0) break;
                sim.Execute(buf[strategy.Choose(buf[..n], agents)]);
                monitor.Observe(sim);
            }
        }
        catch (ModelLimitException)
        {
            return null;
        }
        bool offline = false;
        for (int va = 0; va < sim.M.Pages; va++)
        {
            var initial = new RegisterState(LinearizabilityChecker.InitialValue(sc, 0, va), LinearizabilityChecker.InitialValue(sc, 1, va));
            if (!PageLinearizable(sim.History.Events, va, initial)) offline = true;
        }
        Assert.True(offline == monitor.Violated, $"{what}: offline {offline}, monitor {monitor.Violated}\n{TestKit.Show(new ReplayResult(sim, [], 0))}");
        return offline;
    }

    /// <summary>
    /// A history as the simulator records it: each agent runs one operation at a time (agents 0 and
    /// 1 also zap), one call or return per tick, a fork copies into mm 1, reads return random values.
    /// The monitor is fed after every event.
    /// </summary>
    private static void RandomHistory(ref Pcg32 rng, History h, LinearizabilityMonitor monitor, int pages)
    {
        const int agents = 4;
        var open = new int[agents][];
        int ops = 2 + rng.Next(6), started = 0, op = 0;
        bool forked = false;
        for (int tick = 0; tick < 200 && (started < ops || open.Any(o => o is not null)); tick++)
        {
            int a = rng.Next(agents);
            if (open[a] is null)
            {
                if (started == ops) continue;
                started++;
                int va = rng.Next(pages), mm = rng.Next(2), kind = rng.Next(a < 2 ? 5 : 3);
                if (kind == 4 && forked) kind = 1;
                open[a] = kind switch
                {
                    0 => [h.Add(HistoryKind.Read, a, mm, va, 0, tick, op)],
                    1 or 2 => [h.Add(HistoryKind.Write, a, mm, va, 1 + rng.Next(5), tick, op)],
                    3 => Range(h, HistoryKind.Zap, a, mm, pages, tick, op),
                    _ => Range(h, HistoryKind.ForkCopy, a, 1, pages, tick, op),
                };
                if (kind == 4) forked = true;
                op++;
                monitor.Observe(h);
                if (!rng.Chance(30)) continue;
            }
            foreach (int i in open[a])
            {
                ref HistoryEvent e = ref h[i];
                e.Return = tick;
                if (e.Kind == HistoryKind.Read) e.Value = rng.Next(6);
                if (e.Kind != HistoryKind.Zap) continue;
                int ret = h.Add(HistoryKind.ZapReturn, a, e.Mm, e.Va, 0, tick, e.Op);
                h[ret].Return = tick;
                h[ret].Link = i;
            }
            open[a] = null!;
            monitor.Observe(h);
        }
    }

    private static int[] Range(History h, HistoryKind kind, int a, int mm, int pages, int tick, int op)
    {
        var ids = new int[pages];
        for (int va = 0; va < pages; va++) ids[va] = h.Add(kind, a, mm, va, 0, tick, op);
        return ids;
    }

    /// <summary>The checker's verdict for one page, its events selected as LinearizabilityChecker.Check selects them.</summary>
    private static bool PageLinearizable(ReadOnlySpan<HistoryEvent> all, int va, RegisterState initial)
    {
        var ids = new List<int>();
        for (int i = 0; i < all.Length; i++)
        {
            if (all[i].Va != va || (all[i].Kind == HistoryKind.Read && all[i].Pending)) continue;
            ids.Add(i);
        }
        if (ids.Count == 0) return true;
        var events = new HistoryEvent[ids.Count];
        for (int i = 0; i < ids.Count; i++)
        {
            events[i] = all[ids[i]];
            if (events[i].Link >= 0) events[i].Link = ids.IndexOf(events[i].Link);
        }
        return LinearizabilityChecker.IsLinearizable(events, initial, int.MaxValue);
    }

    private static string Dump(History h) => string.Join("\n", h.Events.ToArray().Select(e =>
        $"{e.Kind} agent {e.Agent} mm{e.Mm} {Names.Page(e.Va)} value {e.Value} [{e.Call}, {(e.Pending ? "pending" : e.Return.ToString())}]"));
}
