using Fuzz.Formats.Text;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;

namespace Fuzz.Formats.Kernels;

/// <summary>
/// Kernel variant files: a base kernel plus edits to named steps of named recipes.
/// <code>
/// kernel 1
/// name seed-b
/// base v4.14
/// expect violation linearizability
/// remove wp_page_copy mmu_notifier_invalidate_range
/// move tlb_finish_mmu tlb_flush after dec_tlb_flush_pending
/// replace wp_page_copy flush_tlb_page with flush_tlb_mm
/// insert do_wp_page page_count after reuse_swap_page, if not -> no_reuse
/// insert try_to_unmap_one after swap_duplicate:
///     page_maybe_dma_pinned     if not -> not_pinned
///     swap_free(page)
///     goto restore
///     not_pinned:
/// force write_protect_page mm_tlb_flush_pending false
/// remove try_to_unmap_one flush_tlb_page in migrate_pages
/// include fixes/09854ba94c6a-do-wp-page-page-count.kernel
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
        KernelBuilder? kernel = null;
        Expectation? expect = null;
        string? pinnedBy = null;
        SourceLine[] lines = SourceLine.Read(text).ToArray();
        for (int li = 0; li < lines.Length; li++)
        {
            SourceLine line = lines[li];
            if (line.Text.Length == 0) continue;
            string[] w = line.Words;
            FileFormatException Err(string reason) => new(file, line.Number, reason);
            // No recipe, step or knob is this long (a name, which messages never echo, may be longer: it
            // names files, and so does the path after 'pinned-by'); refusing it keeps every message below short.
            int path = w[0] == "name" && w.Length >= 2 ? 1 : w[0] == "expect" && w.Length >= 2 && w[^2] == "pinned-by" ? w.Length - 1 : -1;
            string? huge = w.Where((x, i) => i != path).FirstOrDefault(x => x.Length > MaxWord);
            if (huge is null && path >= 0 && w[path].Length > MaxName) huge = w[path];
            if (huge is not null) throw Err($"'{Token.Show(huge)}' is too long ({huge.Length} characters) to be a name, recipe, step or knob");
            if (!header)
            {
                if (w.Length != 2 || w[0] != "kernel" || !int.TryParse(w[1], out int v)) throw Err("the first line must be 'kernel 1'");
                if (v != FormatVersion) throw Err($"kernel file format {v} is not supported (this tool reads {FormatVersion})");
                header = true;
                continue;
            }
            switch (w[0])
            {
                case "name":
                    if (w.Length != 2) throw Err("write 'name NAME'");
                    name = w[1];
                    continue;
                case "base":
                    if (w.Length != 2) throw Err("write 'base v4.14' or 'base OTHER.kernel'");
                    if (kernel is not null) throw Err("'base' must come before any edit, once");
                    kernel = new KernelBuilder(ResolveBase(w[1], file, line.Number, loading));
                    continue;
                case "expect":
                    if (expect is not null) throw Err("two 'expect' lines");
                    (expect, pinnedBy) = ParseExpect(w, Err);
                    continue;
            }
            if (kernel is null) throw Err("'base v4.14' must come before the edits");
            if (w[0] == "include")
            {
                if (w.Length != 2) throw Err("write 'include FILE.kernel' (a variant whose edits apply here too)");
                Include(kernel, w[1], file, line.Number, loading);
                continue;
            }
            // A block insert ("insert RECIPE before|after STEP:") takes the indented lines below it.
            var block = new List<SourceLine>();
            if (w[0] == "insert" && line.Text.EndsWith(':'))
            {
                while (li + 1 < lines.Length && (lines[li + 1].Indented || lines[li + 1].Text.Length == 0))
                {
                    li++;
                    if (lines[li].Text.Length > 0) block.Add(lines[li]);
                }
                if (block.Count == 0) throw Err("an 'insert ...:' block needs indented lines below it");
            }
            string? error = kernel.Apply(line.Text, block.Select(b => (b.Number, b.Text)).ToList(), out int errorLine);
            if (error is not null) throw new FileFormatException(file, errorLine > 0 ? errorLine : line.Number, error);
        }
        if (!header) throw new FileFormatException(file, 0, "empty file: expected 'kernel 1'");
        if (kernel is null) throw new FileFormatException(file, 0, "no 'base' line: write 'base v4.14'");
        loading.Remove(file);
        try
        {
            return kernel.Build(name, expect, pinnedBy);
        }
        catch (InvalidOperationException e)
        {
            throw new FileFormatException(file, 0, e.Message);
        }
    }

    private static (Expectation, string?) ParseExpect(string[] w, Func<string, FileFormatException> err)
    {
        string? pinned = null;
        if (w.Length >= 2 && w[^2] == "pinned-by")
        {
            pinned = w[^1];
            w = w[..^2];
        }
        if (w.Length == 2 && w[1] == "coherent" && pinned is null) return (Expectation.CoherentRun, null);
        if (w.Length == 3 && w[1] == "violation" && OracleNames.TryParse(w[2], out OracleId o)) return (Expectation.Violation(o), pinned);
        throw err($"write 'expect coherent' or 'expect violation ORACLE [pinned-by tests/Regressions/FILE.scenario]' (oracles: {OracleNames.AllNames})");
    }

    /// <summary>Apply the edits of another variant file (its whole chain of edits over the same base) to this kernel.</summary>
    private static void Include(KernelBuilder kernel, string reference, string file, int line, HashSet<string> loading)
    {
        string? dir = Path.GetDirectoryName(file);
        string? path = KernelLoader.Find(reference, string.IsNullOrEmpty(dir) ? null : dir);
        if (path is null) throw new FileFormatException(file, line, $"included kernel '{Token.Show(reference)}' not found");
        KernelDefinition included = Parse(File.ReadAllText(path), path, loading);
        if (included.Root != kernel.BaseName)
            throw new FileFormatException(file, line, $"'{Token.Show(reference)}' is based on {included.Root}, this kernel on {kernel.BaseName}");
        foreach (string edit in included.Edits)
        {
            string[] parts = edit.Split('\n');
            var block = parts.Skip(1).Select(b => (0, b.Trim())).ToList();
            string? error = kernel.Apply(parts[0], block, out _);
            if (error is not null) throw new FileFormatException(file, line, $"'{Token.Show(reference)}': its edit '{parts[0]}' does not apply here: {error}");
        }
    }

    private static KernelDefinition ResolveBase(string reference, string file, int line, HashSet<string> loading)
    {
        if (reference == KernelDefinition.BaseName) return KernelDefinition.V414;
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
