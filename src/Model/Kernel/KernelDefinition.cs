using Fuzz.Model.Kernel.Recipes;
using Fuzz.Model.Scenarios;

namespace Fuzz.Model.Kernel;

/// <summary>
/// A kernel: every recipe (as data) plus its knobs. v4.14 as released is built in; a variant
/// file derives a new definition from it by editing named steps (the fixed kernel is v4.14 with
/// the later upstream fixes applied as variants, kernels/v4.14-fixed.kernel).
/// </summary>
public sealed class KernelDefinition
{
    public const string BaseName = "v4.14";

    /// <summary>
    /// The fixed kernel the tool checks by default: v4.14 plus every later upstream fix the model
    /// needs (and the one rule it proposes), composed in kernels/v4.14-fixed.kernel.
    /// </summary>
    public const string FixedName = "v4.14-fixed";

    public string Name { get; }
    public KernelKnobs Knobs { get; }
    /// <summary>The edits applied over the built-in base, in order, as a variant file wrote them.</summary>
    public IReadOnlyList<string> Edits { get; }
    /// <summary>The built-in kernel at the root of the base chain (v4.14).</summary>
    public string Root { get; }
    /// <summary>The verdict the kernel's file states ("expect coherent", or the oracle it violates).</summary>
    public Expectation? Expect { get; }
    /// <summary>For a race too rare for a small fuzz budget: the regression scenario that pins it.</summary>
    public string? PinnedBy { get; }
    private readonly RecipeDraft[] _drafts;
    private readonly Recipe[] _recipes;

    public KernelDefinition(string name, KernelKnobs knobs, IReadOnlyList<RecipeDraft> drafts, IReadOnlyList<string> edits,
        string baseName = BaseName, Expectation? expect = null, string? pinnedBy = null)
    {
        Name = name;
        Knobs = knobs;
        Edits = edits;
        Root = baseName;
        Expect = expect;
        PinnedBy = pinnedBy;
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

    /// <summary>v4.14 as released (2017-11-12), recipe by recipe.</summary>
    public static KernelDefinition V414 => LazyV414.Value;

    public IReadOnlyList<RecipeDraft> Drafts => _drafts;

    public RecipeDraft Draft(RecipeId id) => _drafts[(int)id];

    public Recipe Recipe(RecipeId id) => _recipes[(int)id];

    public bool IsBase => Edits.Count == 0 && Knobs == KernelKnobs.Default;

    public static bool TryParseRecipe(string name, out RecipeId id) => Enum.TryParse(name, ignoreCase: false, out id)
        && Enum.IsDefined(id) && id.ToString() == name;
}
