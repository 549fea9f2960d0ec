using Fuzz.Model.Kernel;

namespace Fuzz.Search.Verification;

/// <summary>
/// Which steps ran, and in which recipe: a bit per (recipe, step) pair, set for every step event an
/// agent's transition recorded (zero-time steps and checks included). The audit's complete mode
/// uses it to leave out the scenarios in which the base kernel never runs the edited step: a
/// mutant removes, forces or moves one step of one recipe, so until an agent runs that step of
/// that recipe a path of the mutant is a path of the base, state by state.
/// </summary>
public sealed class StepCoverage
{
    private static readonly int Words = (StepCatalog.Count + 63) / 64;
    private static readonly int Recipes = Enum.GetValues<RecipeId>().Length;
    private readonly ulong[] _bits = new ulong[Recipes * Words];

    public void Add(RecipeId recipe, StepId step) => _bits[(int)recipe * Words + ((int)step >> 6)] |= 1UL << ((int)step & 63);

    public bool Contains(RecipeId recipe, StepId step) => (_bits[(int)recipe * Words + ((int)step >> 6)] >> ((int)step & 63) & 1) != 0;

    /// <summary>Whether some step of the recipe ran.</summary>
    public bool Runs(RecipeId recipe)
    {
        for (int w = 0; w < Words; w++)
        {
            if (_bits[(int)recipe * Words + w] != 0) return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="step"/> of the recipe ran; for null, whether any step of it ran.</summary>
    public bool Runs(RecipeId recipe, StepId? step) => step is { } s ? Contains(recipe, s) : Runs(recipe);

    public void UnionWith(StepCoverage other)
    {
        for (int i = 0; i < _bits.Length; i++) _bits[i] |= other._bits[i];
    }

    public StepCoverage Copy()
    {
        var c = new StepCoverage();
        _bits.CopyTo(c._bits, 0);
        return c;
    }
}
