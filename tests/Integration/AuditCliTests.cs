using Fuzz.Formats.Scenarios;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Integration;

/// <summary>The audit's saved mutants say how to regenerate them, kernel included; its --out is refused on someone else's directory.</summary>
public sealed class AuditCliTests : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-audit-cli");

    public AuditCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_caught_mutants_regenerate_line_names_its_kernel_and_the_audit_refuses_a_foreign_out_directory()
    {
        var (exit, output, err) = FuzzProcess.RunIn(_dir, "audit", "--kernel", "v4.14", "--only", "do_wp_page: remove reuse_swap_page", "--out", "out", "--workers", "1");
        Assert.True(exit == 0, output + err);
        string file = Assert.Single(Directory.EnumerateFiles(Path.Combine(_dir, "out"), "*.scenario"));
        Assert.Contains(ScenarioParser.Load(file).Comments, c => c.EndsWith(
            "regenerate: dotnet run --project src/Fuzz -c Release -- audit --only 'do_wp_page: remove reuse_swap_page' --kernel v4.14 --no-save",
            StringComparison.Ordinal));

        Directory.CreateDirectory(Path.Combine(_dir, "mine"));
        File.WriteAllText(Path.Combine(_dir, "mine", "audit-v4.14.txt"), "my notes");
        var refused = FuzzProcess.RunIn(_dir, "audit", "--only", "wp_page_copy: remove flush_tlb_page", "--out", "mine", "--workers", "1");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("was not created by fuzz", refused.Err);
        Assert.Equal("my notes", File.ReadAllText(Path.Combine(_dir, "mine", "audit-v4.14.txt")));
    }
}
