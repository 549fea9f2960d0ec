using System.Diagnostics;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Simulation;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Search.Audit;

/// <summary>
/// Fuzzes each mutant for a fixed number of generated scenarios, on several workers. Each mutant's
/// seed is derived from the audit seed and the mutant's text alone, so its verdict does not depend
/// on which worker ran it, on the other mutants, or on the machine: only the times do.
/// </summary>
public sealed class AuditRunner
{
    private readonly AuditOptions _o;

    public AuditRunner(AuditOptions options) => _o = options;

    /// <summary>Run every mutant; <paramref name="done"/> is called (on a worker thread, serialised) as each finishes.</summary>
    public AuditResult[] Run(IReadOnlyList<Mutant> mutants, Action<AuditResult, int>? done = null, CancellationToken cancel = default)
    {
        var results = new AuditResult[mutants.Count];
        int[] order = Order(mutants);
        int next = -1, finished = 0;
        var gate = new object();
        var workers = new Thread[Math.Max(1, Math.Min(_o.Workers, mutants.Count))];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = new Thread(() =>
            {
                for (int k = Interlocked.Increment(ref next); k < mutants.Count && !cancel.IsCancellationRequested; k = Interlocked.Increment(ref next))
                {
                    int i = order[k];
                    AuditResult r = RunOne(mutants[i], cancel);
                    // A mutant cut short by Ctrl-C was not fuzzed for its budget: "not caught" would be a false verdict.
                    if (cancel.IsCancellationRequested && r.Finding is null) break;
                    results[i] = r;
                    lock (gate)
                    {
                        finished++;
                        done?.Invoke(r, finished);
                    }
                }
            }, 16 * 1024 * 1024) { IsBackground = true, Name = $"audit-{w}" };
            workers[w].Start();
        }
        foreach (Thread t in workers) t.Join();
        return results.Where(r => r is not null).ToArray();
    }

    /// <summary>
    /// The order the workers take the mutants in: as listed, but in complete mode the costliest
    /// first (the base's states over the scenarios of its smallest scope that run the edited step, or
    /// of every scope that runs it for an edit that may go on),
    /// so that no worker is left alone with a long search at the end. The table keeps the listed order.
    /// </summary>
    private int[] Order(IReadOnlyList<Mutant> mutants)
    {
        int[] order = Enumerable.Range(0, mutants.Count).ToArray();
        if (_o.CompleteScopes is not { } scopes) return order;
        long[] cost = mutants.Select(Cost).ToArray();
        long Cost(Mutant m)
        {
            // An edit that must be caught may go on over every scope that reaches it.
            StepId? step = m.EditedStep(_o.Kernel);
            var reached = CompleteAudit.ScopesFor(m, scopes, _o.Kernel).Select(s => s.StatesReaching(m.Recipe, step));
            return m.Requirement != Requirement.None || _o.EveryScope ? reached.Sum() : reached.FirstOrDefault();
        }
        return order.OrderByDescending(i => cost[i]).ThenBy(i => i).ToArray();
    }

    public AuditResult RunOne(Mutant m, CancellationToken cancel = default)
    {
        if (_o.CompleteScopes is { } scopes) return CompleteAudit.Run(_o, m, scopes, cancel);
        var clock = Stopwatch.StartNew();
        KernelDefinition kernel;
        try
        {
            kernel = m.Build(_o.KernelRef, Path.Combine(Directory.GetCurrentDirectory(), m.FileStem + ".kernel"));
        }
        catch (FileFormatException e)
        {
            return new AuditResult(m, null, 0, 0, clock.Elapsed, "not a kernel: " + e.Reason);
        }
        var options = new FuzzOptions
        {
            Kernel = kernel,
            KernelRef = m.FileStem + ".kernel",
            Settings = _o.Settings,
            Focus = AuditFocus.For(_o.Kernel, m, _o.Settings),
            Sim = _o.Sim,
            Seed = SeedOf(m),
            MaxScenarios = BudgetOf(m),
            MaxFailures = 1,
            ProgressInterval = TimeSpan.MaxValue,
        };
        var runner = new FuzzRunner(options);
        try
        {
            runner.Run(cancel: cancel);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new AuditResult(m, null, 0, runner.Stats.Scenarios, clock.Elapsed, $"model error: {e.GetType().Name}: {e.Message}");
        }
        Finding? f = runner.Findings.Count > 0 ? runner.Findings[0] : null;
        int steps = f is null ? 0 : Replayer.Run(f.Shrunk, kernel, _o.Sim).Sim.Tick;
        long scenarios = f?.FoundAfterScenarios ?? runner.Stats.Scenarios;
        return new AuditResult(m, f, steps, scenarios, f is null ? clock.Elapsed : f.FoundAfter, null);
    }

    /// <summary>Scenarios a mutant gets before it counts as not caught.</summary>
    public long BudgetOf(Mutant m) => m.Requirement == Requirement.None ? _o.Budget : _o.Budget * _o.RequiredFactor;

    /// <summary>The mutant's seed: the audit seed mixed with an FNV-1a hash of the mutant's edit line.</summary>
    public ulong SeedOf(Mutant m) => Seeds.Derive(_o.Seed, ScenarioHash.Fnv1a(m.Line));
}
