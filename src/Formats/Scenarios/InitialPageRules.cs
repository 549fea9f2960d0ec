using Fuzz.Formats.Text;
using Fuzz.Model.Machine;
using Fuzz.Model.Scenarios;

namespace Fuzz.Formats.Scenarios;

/// <summary>
/// What the initial state may say, checked at parse time so that the simulator's InitialState can
/// build it: one 'page' line per (mm, page), a shared page's source mapped by a value or zero line,
/// no more frames or swap slots than the model has.
/// </summary>
internal static class InitialPageRules
{
    public static void Check(IReadOnlyList<(int Line, InitialPage Page)> pages, int pageCount, int frames, string file)
    {
        var first = new Dictionary<(int Mm, int Va), (int Line, InitialPage Page)>();
        int mapped = 0, swapped = 0;
        foreach (var (line, page) in pages)
        {
            if (page.Va >= pageCount) throw new FileFormatException(file, line, $"page {Names.Page(page.Va)} is outside 'pages {pageCount}'");
            if (page.Kind == InitialPageKind.SharedWith && page.SharedVa >= pageCount)
                throw new FileFormatException(file, line, $"page {Names.Page(page.SharedVa)} is outside 'pages {pageCount}'");
            if (first.TryGetValue((page.Mm, page.Va), out var earlier))
                throw new FileFormatException(file, line, $"{Names.Mm(page.Mm)} {Names.Page(page.Va)} already has a 'page' line (line {earlier.Line}); a page starts in one state");
            first[(page.Mm, page.Va)] = (line, page);
            if (page.Kind == InitialPageKind.Value) mapped++;
            if (page.Kind == InitialPageKind.Swapped) swapped++;
        }
        foreach (var (line, page) in pages)
        {
            if (page.Kind != InitialPageKind.SharedWith) continue;
            string source = $"{Names.Mm(page.SharedMm)} {Names.Page(page.SharedVa)}";
            if (!first.TryGetValue((page.SharedMm, page.SharedVa), out var src))
                throw new FileFormatException(file, line, $"{Names.Mm(page.Mm)} {Names.Page(page.Va)} shares {source}, which no 'page {source} VALUE' or 'page {source} zero' line maps");
            if (src.Page.Kind is not (InitialPageKind.Value or InitialPageKind.Zero))
                throw new FileFormatException(file, line, $"{Names.Mm(page.Mm)} {Names.Page(page.Va)} shares {source}, which line {src.Line} does not map to a frame (only a value or zero page can be shared)");
        }
        // The zero page takes frame 0; every value page one more frame.
        if (mapped > frames - 1)
            throw new FileFormatException(file, pages.Last(p => p.Page.Kind == InitialPageKind.Value).Line, $"{mapped} mapped pages need {mapped} frames; this scenario's machine has {frames - 1} besides the zero page");
        if (swapped > Limits.MaxSwapSlots)
            throw new FileFormatException(file, pages.Last(p => p.Page.Kind == InitialPageKind.Swapped).Line, $"{swapped} swapped pages need {swapped} swap slots; the model has {Limits.MaxSwapSlots}");
    }
}
