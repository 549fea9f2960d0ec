using System.Diagnostics;
using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Search.Verification;

namespace Fuzz.Search.Audit;

/// <summary>
/// The audit's complete mode: each mutant is searched exhaustively over the smallest shipped audit
/// scope that reaches its edit (the base kernel runs the edited step of the recipe somewhere in the
/// scope, see <see cref="AuditScopes"/>; a secondary invalidation also needs the device), in the
/// scenarios where the base runs it; "smallest" is by the states the base search took in those
/// scenarios. An edit the audit must catch that is coherent there goes on to the next scope, and
/// so on, until one catches it (so does every mutant with <see cref="AuditOptions.EveryScope"/>).
/// The verdict is "caught" with the smallest counterexample of the first scope that has one, or
/// "coherent over scopes S, T (complete)", or, when a scope's budget or the model's limits were
/// reached, "incomplete".
/// </summary>
public static class CompleteAudit
{
    /// <summary>How the verdict of a mutant whose edited step no audit scope runs begins.</summary>
    public const string Unreached = "no shipped scope reaches";

    /// <summary>The scopes that reach the mutant's edit, cheapest first.</summary>
    public static IEnumerable<AuditScope> ScopesFor(Mutant m, IReadOnlyList<AuditScope> scopes, KernelDefinition baseKernel)
    {
        StepId? step = m.EditedStep(baseKernel);
        return scopes
            .Where(s => s.Runs(m.Recipe, step) && (m.Category != StepCategory.SecondaryFlush || s.Scope.Agents.Contains(AgentKind.Device)))
            .OrderBy(s => s.StatesReaching(m.Recipe, step))
            .ThenBy(s => s.Scope.Name, StringComparer.Ordinal);
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
        var searched = new List<string>();
        long scenarios = 0, states = 0, unreached = 0;
        StepId? step = m.EditedStep(o.Kernel);
        foreach (AuditScope audit in ScopesFor(m, scopes, o.Kernel))
        {
            // One scope is the verdict, but for an edit that must be caught (or every edit when asked).
            if (searched.Count > 0 && m.Requirement == Requirement.None && !o.EveryScope) break;
            Scope scope = audit.Scope;
            // Only the scenarios in which the base kernel runs the edited step: the others are the base's, coherent.
            Func<int, bool>? include = audit.BaseCoherent ? i => audit.Reaches(i, m.Recipe, step) : null;
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
                try
                {
                    Counterexample c = Counterexample.Of(kernel, scenario, best, scope.Preemptions);
                    return new AuditResult(m, c.ToFinding(best.Index, clock.Elapsed), best.Depth, scenarios, clock.Elapsed, null) { Complete = scope.Name };
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // One mutant's counterexample that cannot be replayed is reported on its row; the audit goes on.
                    return new AuditResult(m, null, 0, scenarios, clock.Elapsed,
                        $"model error building the counterexample of scenario {best.Index} of scope {scope.Name}: {e.GetType().Name}: {e.Message}");
                }
            }
            if (!runner.Finished || p.Limits > 0)
                return new AuditResult(m, null, 0, scenarios, clock.Elapsed, null) { Complete = $"incomplete over scope {scope.Name} ({p.Done:N0} of {p.Total:N0} scenarios, {p.Limits} beyond the budget)" };
            searched.Add(scope.Name);
        }
        string verdict = searched.Count == 0
            ? $"{Unreached} {(step is null ? "the recipe" : "the step")}"
            : $"coherent over scope{(searched.Count > 1 ? "s" : "")} {string.Join(", ", searched)} (complete: {scenarios:N0} scenarios, {states:N0} states" +
              (unreached > 0 ? $"; {unreached:N0} more never run {(step is { } st ? $"{m.Recipe}'s {st}" : m.Recipe.ToString())} under the base kernel)" : ")");
        return new AuditResult(m, null, 0, scenarios, clock.Elapsed, null) { Complete = verdict };
    }
}
