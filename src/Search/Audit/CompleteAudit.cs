using System.Diagnostics;
using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Search.Verification;

namespace Fuzz.Search.Audit;

/// <summary>
/// The audit's complete mode: each mutant is searched exhaustively over the smallest shipped audit
/// scope that reaches its recipe (the base kernel runs a step of it somewhere in the scope, see
/// <see cref="AuditScopes"/>; a secondary invalidation also needs the device). The
/// verdict is "caught" with the smallest counterexample of that scope, or "coherent over scope S
/// (complete)", or, when the scope's budget or the model's limits were reached, "incomplete".
/// </summary>
public static class CompleteAudit
{
    /// <summary>The scope for a mutant: the first of <paramref name="scopes"/> (smallest first) that reaches its recipe, or null.</summary>
    public static Scope? ScopeFor(Mutant m, IReadOnlyList<AuditScope> scopes)
    {
        foreach (AuditScope s in scopes)
        {
            if (!s.Runs(m.Recipe)) continue;
            if (m.Category == StepCategory.SecondaryFlush && !s.Scope.Agents.Contains(AgentKind.Device)) continue;
            return s.Scope;
        }
        return null;
    }

    public static AuditResult Run(AuditOptions o, Mutant m, IReadOnlyList<AuditScope> scopes, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        KernelDefinition kernel;
        string kernelRef = m.FileStem + ".kernel";
        try
        {
            kernel = m.Build(o.KernelRef, Path.Combine(Directory.GetCurrentDirectory(), kernelRef));
        }
        catch (FileFormatException e)
        {
            return new AuditResult(m, null, 0, 0, clock.Elapsed, "not a kernel: " + e.Reason);
        }
        if (ScopeFor(m, scopes) is not { } scope)
            return new AuditResult(m, null, 0, 0, clock.Elapsed, null) { Complete = "no shipped scope reaches the recipe" };
        var runner = new VerifyRunner(new VerifyOptions { Kernel = kernel, KernelRef = kernelRef, Scope = scope, Workers = 1 });
        try
        {
            runner.Run(null, cancel: cancel);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new AuditResult(m, null, 0, 0, clock.Elapsed, $"model error: {e.GetType().Name}: {e.Message}");
        }
        VerifyProgress p = runner.Progress(clock.Elapsed);
        if (runner.Best is { } best)
        {
            var scenario = runner.ScenarioAt(best.Index);
            Counterexample c = Counterexample.Build(kernel, scenario, new Explorer(kernel, scenario, new ExploreOptions { MaxDepth = best.Depth }).Run());
            return new AuditResult(m, c.ToFinding(best.Index, clock.Elapsed), best.Depth, p.Done, clock.Elapsed, null) { Complete = scope.Name };
        }
        string verdict = runner.Finished && p.Limits == 0
            ? $"coherent over scope {scope.Name} (complete: {p.Total:N0} scenarios, {p.States:N0} states)"
            : $"incomplete over scope {scope.Name} ({p.Done:N0} of {p.Total:N0} scenarios, {p.Limits} beyond the budget)";
        return new AuditResult(m, null, 0, p.Done, clock.Elapsed, null) { Complete = verdict };
    }
}
