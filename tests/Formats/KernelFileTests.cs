using Fuzz.Formats.Kernels;
using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Variants;

namespace Fuzz.Tests.Formats;

public class KernelFileTests
{
    private static KernelDefinition Parse(string body) => KernelFile.Parse("kernel 1\nname t\nbase v4.14\n" + body, "t.kernel");

    private static List<string> Steps(KernelDefinition k, RecipeId id)
    {
        RecipeDraft r = k.Draft(id);
        return r.StepIndices().Select(r.ReferenceOf).ToList();
    }

    [Fact]
    public void Remove_drops_exactly_the_named_step()
    {
        KernelDefinition k = Parse("remove tlb_finish_mmu mm_tlb_flush_nested\n");
        Assert.DoesNotContain("mm_tlb_flush_nested", Steps(k, RecipeId.tlb_finish_mmu));
        Assert.Equal(Steps(KernelDefinition.V414, RecipeId.tlb_finish_mmu).Count - 1, Steps(k, RecipeId.tlb_finish_mmu).Count);
        Assert.Equal(["remove tlb_finish_mmu mm_tlb_flush_nested"], k.Edits);
    }

    [Fact]
    public void Move_before_and_after_reorders_steps()
    {
        KernelDefinition k = Parse("move tlb_flush_mmu_tlbonly __tlb_reset_range before tlb_flush\n");
        List<string> s = Steps(k, RecipeId.tlb_flush_mmu_tlbonly);
        Assert.True(s.IndexOf("__tlb_reset_range") < s.IndexOf("tlb_flush"));
        // A call is moved like a step: free the gathered pages before the flush.
        k = Parse("move tlb_flush_mmu tlb_flush_mmu_free before tlb_flush_mmu_tlbonly\n");
        List<string> listing = RecipeListing.Lines(k.Draft(RecipeId.tlb_flush_mmu)).ToList();
        Assert.True(listing.FindIndex(l => l.Contains("tlb_flush_mmu_free")) < listing.FindIndex(l => l.Contains("call tlb_flush_mmu_tlbonly")));
        k = Parse("move wp_page_copy mmu_notifier_invalidate_range after pte_unmap_unlock\n");
        s = Steps(k, RecipeId.wp_page_copy);
        Assert.Equal(s.IndexOf("pte_unmap_unlock") + 1, s.IndexOf("mmu_notifier_invalidate_range"));
    }

    [Fact]
    public void Replace_and_insert_use_the_step_vocabulary_with_operands()
    {
        KernelDefinition k = Parse("replace wp_page_copy flush_tlb_page with flush_tlb_mm\ninsert zap_pte_range flush_tlb_mm after pte_unmap_unlock#1\n");
        Assert.Contains("flush_tlb_mm", Steps(k, RecipeId.wp_page_copy));
        Assert.DoesNotContain("flush_tlb_page", Steps(k, RecipeId.wp_page_copy));
        List<string> zap = Steps(k, RecipeId.zap_pte_range);
        Assert.Equal(zap.IndexOf("pte_unmap_unlock#1") + 1, zap.IndexOf("flush_tlb_mm"));
    }

    [Fact]
    public void Repeated_steps_are_named_by_operand_and_occurrence()
    {
        KernelDefinition k = Parse("remove wp_page_copy put_page(page)#2\n");
        List<string> s = Steps(k, RecipeId.wp_page_copy);
        Assert.Contains("put_page(page)", s);
        Assert.Contains("put_page(new_page)", s);
        Assert.Equal(Steps(KernelDefinition.V414, RecipeId.wp_page_copy).Count - 1, s.Count);
    }

    [Fact]
    public void Knobs_are_set_by_name()
    {
        Assert.Equal(IommuDriver.IntelSvm, Parse("set iommu intel_svm\n").Knobs.Iommu);
        Assert.Equal(SwapDevice.Sync, Parse("set swap_device sync\n").Knobs.SwapDevice);
        Assert.Equal(SwapDevice.Async, Parse("set swap_device async\n").Knobs.SwapDevice);
        Assert.Equal(SwapDevice.Async, KernelDefinition.V414.Knobs.SwapDevice);
    }

    [Theory]
    [InlineData("kernel 1\nbase v4.14\nremove nosuch_recipe pte_same\n", 3, "unknown recipe 'nosuch_recipe'")]
    [InlineData("kernel 1\nbase v4.14\nremove wp_page_copy nosuch_step\n", 3, "unknown step 'nosuch_step'")]
    [InlineData("kernel 1\nbase v4.14\nremove wp_page_copy flush_tlb_mm\n", 3, "has no step 'flush_tlb_mm'")]
    [InlineData("kernel 1\nbase v4.14\nremove wp_page_copy put_page\n", 3, "occurs 3 times")]
    [InlineData("kernel 1\nbase v4.14\nmove wp_page_copy pte_same sideways pte_same\n", 3, "edits are:")]
    [InlineData("kernel 1\nremove wp_page_copy pte_same\n", 2, "'base v4.14' must come before")]
    [InlineData("kernel 2\n", 1, "format 2 is not supported")]
    [InlineData("base v4.14\n", 1, "first line must be 'kernel 1'")]
    [InlineData("kernel 1\nbase v4.14\nset iommu nvidia\n", 3, "amd_iommu_v2 or intel_svm")]
    [InlineData("kernel 1\nbase v4.14\nset swap_device floppy\n", 3, "swap_device takes async")]
    [InlineData("kernel 1\nbase nowhere\n", 2, "base kernel 'nowhere' not found")]
    [InlineData("kernel 1\r\rbase v4.14\rremove wp_page_copy nosuch_step\r", 4, "unknown step 'nosuch_step'")]
    [InlineData("kernel 1\nbase v4.14\nremove wp_page_copy xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 3, "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is too long (77 characters)")]
    [InlineData("kernel 1\nbase v4.14\nremove xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx pte_same\n", 3, "unknown recipe 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'")]
    // Found by scripts/mutate: a name line whose name is a comment was read past its end.
    [InlineData("kernel 1\nname #\nbase v4.14\n", 2, "'name NAME'")]
    [InlineData("kernel 1\nbase /\n", 2, "base kernel '/' not found")]
    public void Errors_name_the_file_and_line(string text, int line, string message)
    {
        var e = Assert.Throws<FileFormatException>(() => KernelFile.Parse(text, "bad.kernel"));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
        Assert.StartsWith($"bad.kernel:{line}: ", e.Message);
    }

    [Fact]
    public void Every_recipe_lists_with_kernel_names()
    {
        foreach (RecipeDraft r in KernelDefinition.V414.Drafts)
        {
            List<string> lines = RecipeListing.Lines(r).ToList();
            Assert.StartsWith(r.Name, lines[0]);
            Assert.Contains("v4.14", lines[0]);
        }
    }

    [Fact]
    public void A_step_inserted_where_it_cannot_know_its_address_is_an_error_naming_the_line()
    {
        // After try_to_unmap()'s rmap walk, shrink_page_list has a page, not an address.
        var e = Assert.Throws<FileFormatException>(() => Parse("insert shrink_page_list flush_tlb_page after try_to_unmap_flush_dirty\n"));
        Assert.Equal(4, e.Line);
        Assert.Contains("rmap walk", e.Message);
        // Inside the walk (try_to_unmap_one) the address is the mapping's: fine.
        Parse("insert try_to_unmap_one flush_tlb_page after set_pte_at\n");
        // A page-level step after the walk is fine too.
        Parse("insert shrink_page_list try_to_unmap_flush after try_to_unmap_flush_dirty\n");
    }

    [Fact]
    public void Every_recipe_of_the_base_knows_its_addresses()
    {
        foreach (RecipeDraft r in KernelDefinition.V414.Drafts)
            Assert.Null(TargetCheck.AddressAfterWalk(r, KernelDefinition.V414.Draft));
    }

    [Fact]
    public void Force_answers_a_check_and_in_caller_limits_an_edit_to_one_path()
    {
        KernelDefinition k = Parse("force write_protect_page mm_tlb_flush_pending false\nremove try_to_unmap_one flush_tlb_page in migrate_pages\n");
        List<string> listing = RecipeListing.Lines(k.Draft(RecipeId.write_protect_page)).ToList();
        Assert.Contains(listing, l => l.Contains("mm_tlb_flush_pending") && l.Contains("[forced false]"));
        listing = RecipeListing.Lines(k.Draft(RecipeId.try_to_unmap_one)).ToList();
        Assert.Contains(listing, l => l.Contains("flush_tlb_page") && l.Contains("[not in migrate_pages]"));
        var e = Assert.Throws<FileFormatException>(() => Parse("force do_wp_page trylock_page true\n"));
        Assert.Contains("can be forced false, not true", e.Message);
        e = Assert.Throws<FileFormatException>(() => Parse("remove try_to_unmap_one flush_tlb_page in do_wp_page\n"));
        Assert.Contains("does not call try_to_unmap_one", e.Message);
    }

    [Fact]
    public void Include_applies_another_variants_edits_and_a_block_insert_reads_like_a_listing()
    {
        KernelDefinition k = Parse("insert try_to_unmap_one after swap_duplicate(page):\n    page_maybe_dma_pinned  if not -> not_pinned\n    swap_free(page)\n    goto restore\n    not_pinned:\n");
        List<string> s = Steps(k, RecipeId.try_to_unmap_one);
        Assert.Equal(s.IndexOf("swap_duplicate(page)") + 1, s.IndexOf("page_maybe_dma_pinned"));
        var bad = Assert.Throws<FileFormatException>(() => Parse("insert try_to_unmap_one after swap_duplicate(page):\n    page_maybe_dma_pinned  if -> nowhere\n"));
        Assert.Contains("no label 'nowhere'", bad.Message);
        string dir = Path.Combine(Path.GetTempPath(), "kernelfile-include-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "fix.kernel"), "kernel 1\nbase v4.14\ninsert do_wp_page page_count after reuse_swap_page, if not -> no_reuse\n");
            File.WriteAllText(Path.Combine(dir, "all.kernel"), "kernel 1\nbase v4.14\nexpect coherent\ninclude fix.kernel\n");
            KernelDefinition all = KernelFile.Load(Path.Combine(dir, "all.kernel"));
            Assert.Contains("page_count", Steps(all, RecipeId.do_wp_page));
            Assert.True(all.Expect!.Value.Coherent);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
