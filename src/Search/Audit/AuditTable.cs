using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;

namespace Fuzz.Search.Audit;

/// <summary>
/// The audit's report: one row per mutant (recipe, edit, whether it must be caught, verdict), then
/// the required edits not caught, the removals never caught (redundancy candidates) and the moves
/// the kernel tolerates.
/// </summary>
public static class AuditTable
{
    public static IEnumerable<string> Lines(IReadOnlyList<AuditResult> results, long budget, int requiredFactor)
    {
        if (results.Count == 0)
        {
            yield return "no mutant was audited (no recipe matched, or it was stopped before the first finished)";
            yield break;
        }
        int recipeW = Math.Max(6, results.Max(r => r.Mutant.Recipe.ToString().Length));
        int editW = Math.Max(4, results.Max(r => r.Mutant.Edit.Length));
        yield return $"{"recipe".PadRight(recipeW)}  {"edit".PadRight(editW)}  {"must",-9}  verdict";
        yield return $"{new string('-', recipeW)}  {new string('-', editW)}  {new string('-', 9)}  {new string('-', 60)}";
        RecipeId? last = null;
        foreach (AuditResult r in results)
        {
            string recipe = last == r.Mutant.Recipe ? "" : r.Mutant.Recipe.ToString();
            last = r.Mutant.Recipe;
            yield return $"{recipe.PadRight(recipeW)}  {r.Mutant.Edit.PadRight(editW)}  {Requirements.Short(r.Mutant.Requirement),-9}  {Verdict(r)}";
        }

        int caught = results.Count(r => r.Caught);
        var required = results.Where(r => r.Mutant.Requirement != Requirement.None).ToList();
        yield return "";
        yield return $"caught {caught} of {results.Count} mutants; of the {required.Count} edits that must be caught, {required.Count(r => r.Caught)} were.";
        var missed = required.Where(r => !r.Caught).ToList();
        if (missed.Count > 0)
        {
            yield return "";
            yield return "MUST BE CAUGHT, NOT CAUGHT (README.md, 'The ordering audit', explains those the model cannot catch):";
            foreach (AuditResult r in missed) yield return $"  {r.Mutant.Id}  ({Requirements.Describe(r.Mutant.Requirement)})";
        }
        var errors = results.Where(r => r.Error is not null).ToList();
        if (errors.Count > 0)
        {
            yield return "";
            yield return "MUTANTS THE MODEL COULD NOT RUN:";
            foreach (AuditResult r in errors) yield return $"  {r.Mutant.Id}: {r.Error}";
        }
        // Complete mode: a step no audit scope runs has no verdict, and is not a candidate for redundancy.
        static bool Unrun(AuditResult r) => r.Complete?.StartsWith(CompleteAudit.Unreached, StringComparison.Ordinal) == true;
        var redundant = results.Where(r => r.Mutant.Kind == MutationKind.Remove && !r.Caught && r.Error is null && !Unrun(r)).ToList();
        if (redundant.Count > 0)
        {
            yield return "";
            yield return results.Any(r => r.Complete is not null)
                ? "Removals coherent over the scopes their rows name (the smallest that runs the step; --every-scope: all of them): candidates for redundancy in this model:"
                : $"Removals never caught within {budget:N0} scenarios ({budget * requiredFactor:N0} for the must-catch ones): candidates for redundancy in this model:";
            foreach (IGrouping<RecipeId, AuditResult> g in redundant.GroupBy(r => r.Mutant.Recipe))
                yield return $"  {g.Key}: {string.Join(", ", g.Select(r => r.Mutant.Step))}";
        }
        var unrun = results.Where(r => Unrun(r)).ToList();
        if (unrun.Count > 0)
        {
            yield return "";
            yield return "Edits of steps no audit scope runs (no verdict: a larger scope is needed):";
            foreach (IGrouping<RecipeId, AuditResult> g in unrun.GroupBy(r => r.Mutant.Recipe))
                yield return $"  {g.Key}: {string.Join(", ", g.Select(r => r.Mutant.Edit))}";
        }
        var tolerated = results.Where(r => r.Mutant.Kind == MutationKind.MovePastUnlock && !r.Caught && r.Error is null).ToList();
        if (tolerated.Count > 0)
        {
            yield return "";
            yield return "Moves past the unlock never caught (the step may leave the lock):";
            foreach (AuditResult r in tolerated) yield return $"  {r.Mutant.Id}";
        }
    }

    public static string Verdict(AuditResult r)
    {
        if (r.Error is not null) return "ERROR " + r.Error;
        if (r.Complete is { } scope)
        {
            return r.Finding is { } g
                ? $"caught: {OracleNames.Name(g.Oracle)}, {g.Original.OperationCount} ops / {r.ShrunkSteps} steps over scope {scope} ({r.Elapsed.TotalSeconds:F1} s)"
                : $"{scope} ({r.Elapsed.TotalSeconds:F1} s)";
        }
        if (r.Finding is not { } f) return $"not caught in {r.Scenarios:N0} scenarios ({r.Elapsed.TotalSeconds:F1} s)";
        return $"caught: {OracleNames.Name(f.Oracle)}, {f.Shrunk.OperationCount} ops / {r.ShrunkSteps} steps, " +
            $"after {r.Scenarios:N0} scenarios ({r.Elapsed.TotalSeconds:F2} s, shrunk in {f.ShrinkTime.TotalSeconds:F2} s)";
    }
}
