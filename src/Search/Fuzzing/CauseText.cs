using Fuzz.Model.Oracles;

namespace Fuzz.Search.Fuzzing;

/// <summary>Root causes in words, for the fuzz command's output: how many, where a new finding belongs, one line per cause.</summary>
public static class CauseText
{
    /// <summary>"1 distinct failure (3 shapes)": distinct failures are causes, each with its counterexample shapes.</summary>
    public static string Count(RootCauses causes) => Count(causes.Count, causes.ShapeCount);

    public static string Count(int causes, int shapes) =>
        $"{causes} distinct failure{(causes == 1 ? "" : "s")} ({shapes} shape{(shapes == 1 ? "" : "s")})";

    /// <summary>Where a just-found shape landed, and whether its table is worth printing (a new cause, or a simpler shape of one).</summary>
    public static (string Line, bool ShowTable)? Placement(RootCauses causes, Finding f)
    {
        IReadOnlyList<RootCauses.Cause> all = causes.Group();
        for (int k = 0; k < all.Count; k++)
        {
            RootCauses.Cause c = all[k];
            if (!c.Shapes.Any(s => s.Id == f.Key)) continue;
            if (c.Shapes.Count == 1) return ($"cause {k + 1} (new)", true);
            if (c.Simplest.Id == f.Key)
                return ($"the simplest shape so far of cause {k + 1} ({c.Shapes.Count} shapes; the next is {Size(c.Shapes[1])})", true);
            return ($"another shape of cause {k + 1} (now {c.Shapes.Count} shapes; its simplest, {Size(c.Simplest)}, is shown above)", false);
        }
        return null;
    }

    /// <summary>One line per cause: its oracle, its simplest shape, how many others.</summary>
    public static IEnumerable<string> Summary(RootCauses causes, IReadOnlyList<Finding> findings)
    {
        IReadOnlyList<RootCauses.Cause> all = causes.Group();
        for (int k = 0; k < all.Count; k++)
        {
            RootCauses.Cause c = all[k];
            Finding? simplest = findings.FirstOrDefault(f => f.Key == c.Simplest.Id);
            string oracle = simplest is null ? "" : OracleNames.Name(simplest.Oracle) + ", ";
            int others = c.Shapes.Count - 1;
            yield return $"cause {k + 1} ({c.Id}): {oracle}simplest {Size(c.Simplest)}" +
                (others == 0 ? "" : $"; {others} other shape{(others == 1 ? "" : "s")} ({string.Join(", ", c.Shapes.Skip(1).Select(Size))})");
        }
    }

    public static string Size(RootCauses.Shape s) => $"{s.Ops} operation{(s.Ops == 1 ? "" : "s")} / {s.Steps} steps";
}
