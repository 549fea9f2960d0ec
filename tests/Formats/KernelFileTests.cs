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
        Assert.Equal(Steps(KernelDefinition.V414Fixed, RecipeId.tlb_finish_mmu).Count - 1, Steps(k, RecipeId.tlb_finish_mmu).Count);
        Assert.Equal(["remove tlb_finish_mmu mm_tlb_flush_nested"], k.Edits);
    }

    [Fact]
    public void Move_before_and_after_reorders_steps()
    {
        KernelDefinition k = Parse("move tlb_finish_mmu tlb_flush_mmu_free before tlb_flush\n");
        List<string> s = Steps(k, RecipeId.tlb_finish_mmu);
        Assert.True(s.IndexOf("tlb_flush_mmu_free") < s.IndexOf("tlb_flush"));
        k = Parse("move wp_page_copy mmu_notifier_invalidate_range after pte_unmap_unlock\n");
        s = Steps(k, RecipeId.wp_page_copy);
        Assert.Equal(s.IndexOf("pte_unmap_unlock") + 1, s.IndexOf("mmu_notifier_invalidate_range"));
    }

    [Fact]
    public void Replace_and_insert_use_the_step_vocabulary_with_operands()
    {
        KernelDefinition k = Parse("replace wp_page_copy flush_tlb_page with flush_tlb_mm\ninsert zap_pte_range flush_tlb_mm after pte_unmap_unlock\n");
        Assert.Contains("flush_tlb_mm", Steps(k, RecipeId.wp_page_copy));
        Assert.DoesNotContain("flush_tlb_page", Steps(k, RecipeId.wp_page_copy));
        Assert.Equal("flush_tlb_mm", Steps(k, RecipeId.zap_pte_range)[^1]);
    }

    [Fact]
    public void Repeated_steps_are_named_by_operand_and_occurrence()
    {
        KernelDefinition k = Parse("remove wp_page_copy put_page(page)#2\n");
        List<string> s = Steps(k, RecipeId.wp_page_copy);
        Assert.Contains("put_page(page)", s);
        Assert.Contains("put_page(new_page)", s);
        Assert.Equal(Steps(KernelDefinition.V414Fixed, RecipeId.wp_page_copy).Count - 1, s.Count);
    }

    [Fact]
    public void Knobs_are_set_by_name()
    {
        Assert.Equal(IommuDriver.IntelSvm, Parse("set iommu intel_svm\n").Knobs.Iommu);
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
    [InlineData("kernel 1\nbase nowhere\n", 2, "base kernel 'nowhere' not found")]
    [InlineData("kernel 1\r\rbase v4.14\rremove wp_page_copy nosuch_step\r", 4, "unknown step 'nosuch_step'")]
    [InlineData("kernel 1\nbase v4.14\nremove wp_page_copy xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 3, "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is too long (77 characters)")]
    [InlineData("kernel 1\nbase v4.14\nremove xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx pte_same\n", 3, "unknown recipe 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'")]
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
        foreach (RecipeDraft r in KernelDefinition.V414Fixed.Drafts)
        {
            List<string> lines = RecipeListing.Lines(r).ToList();
            Assert.StartsWith(r.Name, lines[0]);
            Assert.Contains("v4.14", lines[0]);
        }
    }
}
