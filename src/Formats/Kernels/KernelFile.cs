using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Variants;

namespace Fuzz.Formats.Kernels;

/// <summary>
/// Kernel variant files: a base kernel plus edits to named steps of named recipes.
/// <code>
/// kernel 1
/// name seed-b
/// base v4.14
/// remove wp_page_copy mmu_notifier_invalidate_range
/// move tlb_finish_mmu tlb_flush after dec_tlb_flush_pending
/// replace wp_page_copy flush_tlb_page with flush_tlb_mm
/// insert zap_pte_range flush_tlb_page before pte_unmap_unlock
/// set iommu intel_svm
/// </code>
/// Every error names the file and line.
/// </summary>
public static class KernelFile
{
    public const int FormatVersion = 1;

    /// <summary>The longest word a kernel file may hold (step references such as mmu_notifier_invalidate_range_start(range)#2 are shorter).</summary>
    public const int MaxWord = 64;

    /// <summary>The longest kernel name (audit mutants are named for their edit; a name becomes part of file names).</summary>
    public const int MaxName = 160;

    public static KernelDefinition Load(string path)
    {
        string full = Path.GetFullPath(path);
        return Parse(TextFile.Read(full), full, new HashSet<string>(StringComparer.Ordinal));
    }

    public static KernelDefinition Parse(string text, string file) => Parse(text, file, new HashSet<string>(StringComparer.Ordinal));

    private static KernelDefinition Parse(string text, string file, HashSet<string> loading)
    {
        if (!loading.Add(file)) throw new FileFormatException(file, 0, "the kernel's base chain loops back to this file");
        bool header = false;
        string name = Path.GetFileNameWithoutExtension(file);
        KernelDefinition? current = null;
        var drafts = new List<RecipeDraft>();
        var edits = new List<string>();
        KernelKnobs knobs = KernelKnobs.Default;
        foreach (SourceLine line in SourceLine.Read(text))
        {
            if (line.Text.Length == 0) continue;
            string[] w = line.Words;
            FileFormatException Err(string reason) => new(file, line.Number, reason);
            // No recipe, step or knob is this long (a name, which messages never echo, may be longer: it
            // names files); refusing it keeps every message below short.
            string? huge = w.Skip(w[0] == "name" ? 2 : 0).FirstOrDefault(x => x.Length > MaxWord);
            if (huge is null && w[0] == "name" && w.Length > 1 && w[1].Length > MaxName) huge = w[1];
            if (huge is not null) throw Err($"'{Token.Show(huge)}' is too long ({huge.Length} characters) to be a name, recipe, step or knob");
            if (!header)
            {
                if (w.Length != 2 || w[0] != "kernel" || !int.TryParse(w[1], out int v)) throw Err("the first line must be 'kernel 1'");
                if (v != FormatVersion) throw Err($"kernel file format {v} is not supported (this tool reads {FormatVersion})");
                header = true;
                continue;
            }
            if (w[0] == "name")
            {
                if (w.Length != 2) throw Err("write 'name NAME'");
                name = w[1];
                continue;
            }
            if (w[0] == "base")
            {
                if (w.Length != 2) throw Err("write 'base v4.14' or 'base OTHER.kernel'");
                if (current is not null) throw Err("'base' must come before any edit, once");
                current = ResolveBase(w[1], file, line.Number, loading);
                drafts = current.Drafts.ToList();
                edits = current.Edits.ToList();
                knobs = current.Knobs;
                continue;
            }
            if (current is null) throw Err("'base v4.14' must come before the edits");
            if (w[0] == "set")
            {
                if (w.Length != 3) throw Err("write 'set KNOB VALUE'");
                knobs = knobs.With(w[1], w[2], out string? kerr);
                if (kerr is not null) throw Err(kerr);
                edits.Add(line.Text);
                continue;
            }
            if (w.Length < 3) throw Err("write 'remove|move|replace|insert RECIPE STEP ...'");
            if (!KernelDefinition.TryParseRecipe(w[1], out RecipeId rid))
                throw Err($"unknown recipe '{Token.Show(w[1])}'; recipes are: {string.Join(", ", Enum.GetValues<RecipeId>())}");
            RecipeDraft r = drafts.First(d => d.Id == rid);
            string? error;
            RecipeDraft? edited = w[0] switch
            {
                "remove" when w.Length == 3 => VariantEditor.Remove(r, w[2], out error),
                "move" when w.Length == 5 && w[3] is "before" or "after" => VariantEditor.Move(r, w[2], w[3] == "before", w[4], out error),
                "replace" when w.Length == 5 && w[3] == "with" => VariantEditor.Replace(r, w[2], w[4], out error),
                "insert" when w.Length == 5 && w[3] is "before" or "after" => VariantEditor.Insert(r, w[2], w[3] == "before", w[4], out error),
                _ => Unknown(out error),
            };
            if (edited is null) throw Err(error!);
            drafts[drafts.IndexOf(r)] = edited;
            edits.Add(line.Text);
        }
        if (!header) throw new FileFormatException(file, 0, "empty file: expected 'kernel 1'");
        if (current is null) throw new FileFormatException(file, 0, "no 'base' line: write 'base v4.14'");
        loading.Remove(file);
        try
        {
            return new KernelDefinition(name, knobs, drafts, edits);
        }
        catch (InvalidOperationException e)
        {
            throw new FileFormatException(file, 0, e.Message);
        }
    }

    private static RecipeDraft? Unknown(out string? error)
    {
        error = "edits are: remove RECIPE STEP | move RECIPE STEP before|after STEP | replace RECIPE STEP with STEP | insert RECIPE STEP before|after STEP | set KNOB VALUE";
        return null;
    }

    private static KernelDefinition ResolveBase(string reference, string file, int line, HashSet<string> loading)
    {
        if (reference == KernelDefinition.BaseName) return KernelDefinition.V414Fixed;
        string? dir = Path.GetDirectoryName(file);
        string? path = KernelLoader.Find(reference, string.IsNullOrEmpty(dir) ? null : dir);
        if (path is null) throw new FileFormatException(file, line, $"base kernel '{Token.Show(reference)}' not found");
        string text;
        try
        {
            text = TextFile.Read(path);
        }
        catch (InputException e) when (e is not FileFormatException)
        {
            throw new FileFormatException(file, line, $"base kernel: {e.Message}");
        }
        return Parse(text, path, loading);
    }
}
