using Fuzz.Model.Kernel;
using Fuzz.Search.Verification;

namespace Fuzz.Search.Audit;

/// <summary>
/// A scope of complete mode, with the (recipe, step) pairs the base kernel runs somewhere in it and
/// in each of its scenarios (null for a scenario the base search did not finish coherent), and
/// the states the base search of each scenario took (what searching it under a mutant costs).
/// </summary>
public sealed record AuditScope(Scope Scope, int Scenarios, StepCoverage Coverage, bool BaseCoherent, StepCoverage?[] ScenarioCoverage, long[] ScenarioStates)
{
    public bool Runs(RecipeId r) => Coverage.Runs(r);

    /// <summary>Whether the base kernel runs <paramref name="step"/> of <paramref name="r"/> (any step of it for null) somewhere in the scope.</summary>
    public bool Runs(RecipeId r, StepId? step) => Coverage.Runs(r, step);

    /// <summary>
    /// Whether scenario <paramref name="index"/> can tell a mutant of <paramref name="r"/> from the
    /// base kernel. A mutant differs from its base only in that recipe's instructions, so in a
    /// scenario where no reachable state of the base runs a step of it, the mutant's reachable
    /// states and steps are the base's, one by one, and so is its verdict: coherent.
    /// </summary>
    public bool Reaches(int index, RecipeId r) => Reaches(index, r, null);

    /// <summary>
    /// The same for the step a mutant edits (<see cref="Mutant.EditedStep"/>): a path of the mutant
    /// is a path of the base until an agent runs the removed, forced or moved step, so a scenario in
    /// which no reachable state of the base runs that step of that recipe cannot tell them apart.
    /// </summary>
    public bool Reaches(int index, RecipeId r, StepId? step) =>
        index >= ScenarioCoverage.Length || ScenarioCoverage[index] is not { } c || c.Runs(r, step);

    /// <summary>The base kernel's states over the scenarios that reach the step: how much searching a mutant of it here costs.</summary>
    public long StatesReaching(RecipeId r, StepId? step)
    {
        long states = 0;
        for (int i = 0; i < ScenarioStates.Length; i++)
        {
            if (Reaches(i, r, step)) states += ScenarioStates[i];
        }
        return states;
    }
}

/// <summary>
/// The scopes complete mode searches: the shipped audit scopes (scopes/audit-*.scope), smallest
/// first (by scenarios). Each is first searched under the base kernel, which says which recipes a
/// scope reaches (a recipe reached only through a state the scope never builds, such as a swap-in
/// without swapped pages, does not count) and whether the base kernel is coherent over it.
/// </summary>
public static class AuditScopes
{
    /// <param name="progress">Called with each scope's name as its search starts, and with the scope's progress.</param>
    public static IReadOnlyList<AuditScope> Prepare(KernelDefinition kernel, string kernelRef, string relativeTo, int workers,
        Action<string, VerifyProgress>? progress = null, CancellationToken cancel = default)
    {
        var list = new List<AuditScope>();
        foreach (string name in ScopeLoader.Shipped(relativeTo).Where(n => n.StartsWith("audit-", StringComparison.Ordinal)))
        {
            Scope scope = ScopeFile.Load(ScopeLoader.Find(name, relativeTo));
            list.Add(Search(kernel, kernelRef, scope, workers, p => progress?.Invoke(scope.Name, p), cancel));
        }
        return list.OrderBy(s => s.Scenarios).ThenBy(s => s.Scope.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The base kernel over one scope: the recipes each scenario runs, and whether the kernel is coherent over it.</summary>
    public static AuditScope Search(KernelDefinition kernel, string kernelRef, Scope scope, int workers,
        Action<VerifyProgress>? progress = null, CancellationToken cancel = default)
    {
        var runner = new VerifyRunner(new VerifyOptions { Kernel = kernel, KernelRef = kernelRef, Scope = scope, Workers = workers });
        runner.Run(null, progress, cancel);
        if (cancel.IsCancellationRequested) throw new OperationCanceledException(cancel);
        var states = new long[runner.Total];
        foreach (ScenarioResult r in runner.Results)
        {
            if (r.Index < states.Length) states[r.Index] = r.States;
        }
        return new AuditScope(scope, runner.Total, runner.Coverage, runner.Best is null && runner.Finished, runner.CoverageByScenario(runner.Total), states);
    }
}
