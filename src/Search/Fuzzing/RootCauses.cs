namespace Fuzz.Search.Fuzzing;

/// <summary>
/// Groups counterexamples (shapes) into root causes. Two shapes are one cause when their critical
/// orderings name the same steps of the same recipes; a shape that needs everything a simpler one
/// needs and more (orderings that only bring its initial state about: a swap-in or a fork before
/// the race) is another shape of the same cause. So the causes are the minimal ordering sets among
/// the shapes, and each shape belongs to the largest of them it contains (the one found first on a
/// tie). A cause's shapes are listed simplest first: fewest operations, then fewest steps,
/// then the order found. The grouping depends only on the set of shapes, not on the order they
/// arrived, so a resumed or merged campaign groups as one run would.
/// </summary>
public sealed class RootCauses
{
    /// <summary>One counterexample: an id (its file), the parts of its signature, its size, and when it was found.</summary>
    public sealed record Shape(string Id, IReadOnlyList<string> Parts, int Ops, int Steps);

    /// <summary>One root cause: what it needs (its parts), and its shapes, simplest first.</summary>
    public sealed record Cause(string Id, IReadOnlyList<string> Parts, IReadOnlyList<Shape> Shapes)
    {
        public Shape Simplest => Shapes[0];
    }

    private readonly List<Shape> _shapes = new();
    /// <summary>The grouping of the shapes so far (the fuzz loop asks for the count after every scenario).</summary>
    private IReadOnlyList<Cause> _causes = [];

    public int ShapeCount => _shapes.Count;

    public IReadOnlyList<Shape> Shapes => _shapes;

    /// <summary>Add a shape; returns the cause it belongs to now and whether that cause is new (no earlier shape had it).</summary>
    public (Cause Cause, bool NewCause) Add(Shape shape)
    {
        int before = _causes.Count;
        _shapes.Add(shape);
        _causes = Group(_shapes);
        Cause mine = _causes.First(c => c.Shapes.Contains(shape));
        return (mine, _causes.Count > before && mine.Shapes.Count == 1);
    }

    public int Count => _causes.Count;

    /// <summary>The causes, in the order their first shape was found.</summary>
    public IReadOnlyList<Cause> Group() => _causes;

    public static IReadOnlyList<Cause> Group(IReadOnlyList<Shape> shapes)
    {
        var sets = shapes.Select(s => new HashSet<string>(s.Parts, StringComparer.Ordinal)).ToArray();
        // The minimal sets: no other shape needs strictly less. Equal sets are one.
        var cores = new List<int>();
        for (int i = 0; i < shapes.Count; i++)
        {
            bool minimal = true;
            for (int j = 0; j < shapes.Count && minimal; j++)
            {
                if (j != i && sets[j].IsProperSubsetOf(sets[i])) minimal = false;
            }
            if (minimal && !cores.Any(c => sets[c].SetEquals(sets[i]))) cores.Add(i);
        }
        var members = cores.ToDictionary(c => c, _ => new List<int>());
        for (int i = 0; i < shapes.Count; i++)
        {
            int best = -1;
            foreach (int c in cores)
            {
                if (!sets[c].IsSubsetOf(sets[i])) continue;
                if (best < 0 || sets[c].Count > sets[best].Count) best = c;
            }
            members[best].Add(i);
        }
        return cores
            .Select(c => (First: members[c].Min(), Cause: new Cause(
                CauseSignature.Hash(string.Join(",", sets[c].Order(StringComparer.Ordinal))),
                sets[c].Order(StringComparer.Ordinal).ToArray(),
                members[c].OrderBy(i => shapes[i].Ops).ThenBy(i => shapes[i].Steps).ThenBy(i => i).Select(i => shapes[i]).ToArray())))
            .OrderBy(x => x.First)
            .Select(x => x.Cause)
            .ToArray();
    }
}
