using Fuzz.Model.Kernel;
using Fuzz.Search.Verification;

namespace Fuzz.Search.Audit;

/// <summary>A scope of complete mode, with the recipes the base kernel runs somewhere in it.</summary>
public sealed record AuditScope(Scope Scope, int Scenarios, ulong Recipes, bool BaseCoherent)
{
    public bool Runs(RecipeId r) => (Recipes >> (int)r & 1) != 0;
}

/// <summary>
/// The scopes complete mode searches: the shipped audit scopes (scopes/audit-*.scope), smallest
/// first (by scenarios). Each is first searched under the base kernel, which says which recipes a
/// scope reaches (a recipe reached only through a state the scope never builds, such as a swap-in
/// without swapped pages, does not count) and whether the base kernel is coherent over it.
/// </summary>
public static class AuditScopes
{
    public static IReadOnlyList<AuditScope> Prepare(KernelDefinition kernel, string kernelRef, string relativeTo, int workers)
    {
        if (Enum.GetValues<RecipeId>().Length > 64) throw new InvalidOperationException("recipe coverage is a 64-bit mask");
        var list = new List<AuditScope>();
        foreach (string name in ScopeLoader.Shipped(relativeTo).Where(n => n.StartsWith("audit-", StringComparison.Ordinal)))
        {
            Scope scope = ScopeFile.Load(ScopeLoader.Find(name, relativeTo));
            var runner = new VerifyRunner(new VerifyOptions { Kernel = kernel, KernelRef = kernelRef, Scope = scope, Workers = workers });
            runner.Run(null);
            list.Add(new AuditScope(scope, runner.Total, runner.Recipes, runner.Best is null && runner.Finished));
        }
        return list.OrderBy(s => s.Scenarios).ThenBy(s => s.Scope.Name, StringComparer.Ordinal).ToList();
    }
}
