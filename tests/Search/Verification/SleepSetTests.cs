using Fuzz.Search.Verification;

namespace Fuzz.Tests.Search.Verification;

/// <summary>The sleep set's walk (Next) visits exactly the actions added, lowest first, across both words.</summary>
public class SleepSetTests
{
    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 63, 64 })]
    [InlineData(new[] { 127 })]
    [InlineData(new[] { 0, 5, 63, 64, 100, 127 })]
    [InlineData(new[] { 1, 2, 3, 70, 71 })]
    public void Next_walks_the_members_in_order(int[] members)
    {
        var set = default(SleepSet);
        foreach (int m in members) set.Add(m);
        var seen = new List<int>();
        for (int z = set.Next(-1); z >= 0; z = set.Next(z)) seen.Add(z);
        Assert.Equal(members.OrderBy(m => m), seen);
        Assert.Equal(members.Length, set.Count);
    }
}
