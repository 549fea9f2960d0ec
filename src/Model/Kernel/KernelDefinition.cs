using Fuzz.Model.Kernel.Recipes;

namespace Fuzz.Model.Kernel;

/// <summary>
/// A kernel: every recipe (as data) plus its knobs. The fixed v4.14 kernel is built in; a variant
/// file derives a new definition from it by editing named steps.
/// </summary>
public sealed class KernelDefinition
{
    public const string BaseName = "v4.14";

    public string Name { get; }
    public KernelKnobs Knobs { get; }
    /// <summary>The edits applied over the built-in base, in order, as a variant file wrote them.</summary>
    public IReadOnlyList<string> Edits { get; }
    private readonly RecipeDraft[] _drafts;
    private readonly Recipe[] _recipes;

    public KernelDefinition(string name, KernelKnobs knobs, IReadOnlyList<RecipeDraft> drafts, IReadOnlyList<string> edits)
    {
        Name = name;
        Knobs = knobs;
        Edits = edits;
        _drafts = new RecipeDraft[Enum.GetValues<RecipeId>().Length];
        foreach (RecipeDraft d in drafts) _drafts[(int)d.Id] = d;
        for (int i = 0; i < _drafts.Length; i++)
        {
            if (_drafts[i] is null) throw new InvalidOperationException($"kernel {name} lacks recipe {(RecipeId)i}");
        }
        _recipes = _drafts.Select(Kernel.Recipe.Compile).ToArray();
    }

    private static readonly Lazy<KernelDefinition> LazyV414 = new(() =>
        new KernelDefinition(BaseName, KernelKnobs.Default, V414Kernel.All(), Array.Empty<string>()));

    /// <summary>The fixed kernel: v4.14 recipes (the thread's patchset landed, nested-flush fix in).</summary>
    public static KernelDefinition V414Fixed => LazyV414.Value;

    public IReadOnlyList<RecipeDraft> Drafts => _drafts;

    public RecipeDraft Draft(RecipeId id) => _drafts[(int)id];

    public Recipe Recipe(RecipeId id) => _recipes[(int)id];

    public bool IsBase => Edits.Count == 0 && Knobs == KernelKnobs.Default;

    public static bool TryParseRecipe(string name, out RecipeId id) => Enum.TryParse(name, ignoreCase: false, out id)
        && Enum.IsDefined(id) && id.ToString() == name;
}
