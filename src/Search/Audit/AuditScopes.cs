using Fuzz.Search.Verification;

namespace Fuzz.Search.Audit;

/// <summary>
/// The scopes complete mode searches, smallest first: the shipped audit scopes (scopes/audit-*.scope),
/// ordered by the number of scenarios they hold.
/// </summary>
public static class AuditScopes
{
    public static IReadOnlyList<Scope> Shipped(string relativeTo) =>
        ScopeLoader.Shipped(relativeTo).Where(n => n.StartsWith("audit-", StringComparison.Ordinal))
            .Select(n => ScopeFile.Load(ScopeLoader.Find(n, relativeTo)))
            .OrderBy(s => ScopeEnumerator.Enumerate(s, "k").Count()).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
}
