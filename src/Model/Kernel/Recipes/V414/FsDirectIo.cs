using static Fuzz.Model.Kernel.Operand;
using static Fuzz.Model.Kernel.RecipeId;
using static Fuzz.Model.Kernel.StepId;

namespace Fuzz.Model.Kernel.Recipes.V414;

/// <summary>fs/direct-io.c: read(2) with O_DIRECT into a user page.</summary>
internal static class FsDirectIo
{
    /// <summary>
    /// read(2) with O_DIRECT into the page (fs/direct-io.c, v4.14): get_user_pages_fast() pins it
    /// (or, if it is not writable-mapped, get_user_pages() faults it in for writing and tries again),
    /// the disk's DMA writes the data by physical address, and the pin is dropped.
    /// </summary>
    internal static RecipeDraft OdirectRead() =>
        new RecipeBuilder(odirect_read, "fs/direct-io.c -> get_user_pages_fast() (v4.14)")
            .Label("retry")
            .If(get_user_pages_fast, "io")
            .Call(do_page_fault)
            .Goto("retry")
            .Label("io")
            .Step(submit_bio)
            .Step(put_page, Pin)
            .Build();
}
