using Fuzz.Model.Kernel;
using Fuzz.Search.Verification;

namespace Fuzz.Search.Audit;

/// <summary>
/// A scope of complete mode, with the recipes the base kernel runs somewhere in it and in each of
/// its scenarios (every bit for a scenario the base search did not finish coherent).
/// </summary>
public sealed record AuditScope(Scope Scope, int Scenarios, ulong Recipes, bool BaseCoherent, ulong[] ScenarioRecipes)
{
    public bool Runs(RecipeId r) => (Recipes >> (int)r & 1) != 0;

    /// <summary>
    /// Whether scenario <paramref name="index"/> can tell a mutant of <paramref name="r"/> from the
    /// base kernel. A mutant differs from its base only in that recipe's instructions, so in a
    /// scenario where no reachable state of the base runs a step of it, the mutant's reachable
    /// states and steps are the base's, one by one, and so is its verdict: coherent.
    /// </summary>
    public bool Reaches(int index, RecipeId r) => index >= ScenarioRecipes.Length || (ScenarioRecipes[index] >> (int)r & 1) != 0;
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
        if (Enum.GetValues<RecipeId>().Length > 64) throw new InvalidOperationException("recipe coverage is a 64-bit mask");
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
        return new AuditScope(scope, runner.Total, runner.Recipes, runner.Best is null && runner.Finished, runner.RecipesByScenario(runner.Total));
    }
}
