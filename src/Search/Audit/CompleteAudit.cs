using System.Diagnostics;
using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Search.Verification;

namespace Fuzz.Search.Audit;

/// <summary>
/// The audit's complete mode: each mutant is searched exhaustively over the shipped audit scopes
/// that reach its recipe (the base kernel runs a step of it somewhere in the scope, see
/// <see cref="AuditScopes"/>; a secondary invalidation also needs the device), smallest first,
/// until one catches it. The verdict is "caught" with the smallest counterexample of the first
/// scope that has one, or "coherent over scopes S, T (complete)", or, when a scope's budget or
/// the model's limits were reached, "incomplete".
/// </summary>
public static class CompleteAudit
{
    /// <summary>The scopes that reach the mutant's recipe, smallest first.</summary>
    public static IEnumerable<AuditScope> ScopesFor(Mutant m, IReadOnlyList<AuditScope> scopes) =>
        scopes.Where(s => s.Runs(m.Recipe) && (m.Category != StepCategory.SecondaryFlush || s.Scope.Agents.Contains(AgentKind.Device)));

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
        var searched = new List<string>();
        long scenarios = 0, states = 0, unreached = 0;
        foreach (AuditScope audit in ScopesFor(m, scopes))
        {
            Scope scope = audit.Scope;
            // Only the scenarios in which the base kernel runs the recipe: the others are the base's, coherent.
            Func<int, bool>? include = audit.BaseCoherent ? i => audit.Reaches(i, m.Recipe) : null;
            var runner = new VerifyRunner(new VerifyOptions { Kernel = kernel, KernelRef = kernelRef, Scope = scope, Workers = 1, Include = include });
            unreached += runner.Excluded;
            try
            {
                runner.Run(null, cancel: cancel);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new AuditResult(m, null, 0, 0, clock.Elapsed, $"model error: {e.GetType().Name}: {e.Message}");
            }
            VerifyProgress p = runner.Progress(clock.Elapsed);
            scenarios += p.Done;
            states += p.States;
            if (runner.Best is { } best)
            {
                var scenario = runner.ScenarioAt(best.Index);
                Counterexample c = Counterexample.Build(kernel, scenario, new Explorer(kernel, scenario, new ExploreOptions { MaxDepth = best.Depth }).Run());
                return new AuditResult(m, c.ToFinding(best.Index, clock.Elapsed), best.Depth, scenarios, clock.Elapsed, null) { Complete = scope.Name };
            }
            if (!runner.Finished || p.Limits > 0)
                return new AuditResult(m, null, 0, scenarios, clock.Elapsed, null) { Complete = $"incomplete over scope {scope.Name} ({p.Done:N0} of {p.Total:N0} scenarios, {p.Limits} beyond the budget)" };
            searched.Add(scope.Name);
        }
        string verdict = searched.Count == 0
            ? "no shipped scope reaches the recipe"
            : $"coherent over scope{(searched.Count > 1 ? "s" : "")} {string.Join(", ", searched)} (complete: {scenarios:N0} scenarios, {states:N0} states" +
              (unreached > 0 ? $"; {unreached:N0} more never run {m.Recipe} under the base kernel)" : ")");
        return new AuditResult(m, null, 0, scenarios, clock.Elapsed, null) { Complete = verdict };
    }
}
