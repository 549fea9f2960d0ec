using Fuzz.Formats.Scenarios;
using Fuzz.Model.Scenarios;

namespace Fuzz.Search.Verification;

/// <summary>
/// Every scenario of a scope, once per symmetry class, smallest first: by number of operations,
/// then pages, then the canonical text. Symmetry is what the normaliser renames: CPUs (any
/// permutation of the CPU programs) and values (renumbered 1, 2, ... in order of first appearance);
/// pages are never permuted (the rmap walk and MADV_DONTNEED ranges depend on their order), only
/// required to be all used. The order is a function of the scope alone, so a scenario's index
/// names it across runs, workers and shards.
/// </summary>
public static class ScopeEnumerator
{
    public static IEnumerable<Scenario> Enumerate(Scope scope, string kernel)
    {
        for (int n = scope.MinOps; n <= scope.MaxOps; n++)
        {
            for (int pages = 1; pages <= scope.MaxPages; pages++)
            {
                var classes = new SortedDictionary<string, Scenario>(StringComparer.Ordinal);
                foreach (Scenario raw in new Builder(scope, pages, n).All())
                {
                    Scenario canonical = Canonical(raw, out string key);
                    classes.TryAdd(key, canonical with { Kernel = kernel });
                }
                foreach (Scenario s in classes.Values) yield return s;
            }
        }
    }

    /// <summary>The least form of the scenario over CPU permutations, values renumbered; and its text.</summary>
    public static Scenario Canonical(Scenario s, out string key)
    {
        var cpus = s.Programs.Where(p => p.Kind == AgentKind.Cpu).ToList();
        Scenario? best = null;
        key = "";
        foreach (int[] perm in Permutations(cpus.Count))
        {
            var programs = s.Programs.Select(p => p.Kind == AgentKind.Cpu ? p with { Index = perm[p.Index] } : p).ToList();
            Scenario candidate = Renumber(s with { Programs = programs.OrderBy(p => p.Kind).ThenBy(p => p.Index).ToArray() });
            string text = ScenarioWriter.Write(candidate with { Kernel = "k" });
            if (best is null || string.CompareOrdinal(text, key) < 0)
            {
                best = candidate;
                key = text;
            }
        }
        return best!;
    }

    /// <summary>Nonzero values 1, 2, ... by first appearance: initial pages, then programs in agent order.</summary>
    private static Scenario Renumber(Scenario s)
    {
        var map = new Dictionary<int, int>();
        int Map(int v) => v == 0 ? 0 : map.TryGetValue(v, out int m) ? m : map[v] = map.Count + 1;
        var pages = s.InitialPages.Select(p => p.Kind is InitialPageKind.Value or InitialPageKind.Swapped ? p with { Value = Map(p.Value) } : p).ToArray();
        var programs = s.Programs.Select(p => p with
        {
            Ops = p.Ops.Select(o => OpKinds.HasValue(o.Kind) ? o with { Value = Map(o.Value) } : o).ToArray(),
        }).ToArray();
        return s with { InitialPages = pages, Programs = programs };
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        yield return (int[])p.Clone();
        while (true)
        {
            int i = n - 2;
            while (i >= 0 && p[i] >= p[i + 1]) i--;
            if (i < 0) yield break;
            int j = n - 1;
            while (p[j] <= p[i]) j--;
            (p[i], p[j]) = (p[j], p[i]);
            Array.Reverse(p, i + 1, n - i - 1);
            yield return (int[])p.Clone();
        }
    }
}
