using Fuzz.Model.Scenarios;
using Fuzz.Search.Verification;

namespace Fuzz.Tests.Search.Verification;

/// <summary>The enumerator brings the new hardware into the scenarios where the scope says so.</summary>
public class ScopeEnumeratorTests
{
    private static List<Scenario> Enumerate(string body) =>
        ScopeEnumerator.Enumerate(ScopeFile.Parse("scope 1\nname t\n" + body, "t.scope"), "v4.14-fixed").ToList();

    [Fact]
    public void Page_tables_2_splits_every_scenario_of_two_pages_under_a_second_pmd()
    {
        const string Body = "ops 1-2\ncpus 1\npages 2\nagents cpu\nkinds load madvise_dontneed\ninitial none value\n";
        List<Scenario> one = Enumerate(Body + "page-tables 1\n");
        List<Scenario> two = Enumerate(Body + "page-tables 2\n");
        Assert.All(one, s => Assert.Null(s.SecondPmd));
        Assert.Contains(two, s => s.SecondPmd == 1 && s.Pages == 2);
        // Each two-page scenario once more, with B under its own PTE page; one-page scenarios cannot split.
        Assert.Equal(one.Count + one.Count(s => s.Pages == 2), two.Count);
    }

    [Fact]
    public void The_device_brings_the_iommu_and_a_swapped_page_or_kswapd_the_swap_device()
    {
        List<Scenario> all = Enumerate("ops 1-2\ncpus 1\npages 1\nagents cpu device kswapd\nkinds load dma_read swap_out\ninitial value swapped\n");
        Assert.Contains(all, s => s.HasDevice);
        Assert.All(all.Where(s => s.HasDevice), s => Assert.True(s.Layout.Iommu >= 0));
        Assert.Contains(all, s => s.HasSwapIo);
        Assert.All(all, s => Assert.Equal(s.HasSwapIo, s.Layout.Disk >= 0));
        Assert.Contains(all, s => s.InitialPages.Any(p => p.Kind == InitialPageKind.Swapped) && s.Layout.Disk >= 0);
    }
}
