using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Integration;

/// <summary>
/// promote and run --save outside the repository: --to works anywhere, a variant's kernel file goes
/// along, a refused promote writes nothing, and two promotes of one file at once both end well.
/// </summary>
public sealed class PromoteTests : IDisposable
{
    private readonly TempDirectory _dir = new("fuzz-promote");

    public PromoteTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => _dir.Dispose();

    /// <summary>A finding of a variant given by path, saved with its kernel file beside it.</summary>
    private string Finding()
    {
        File.WriteAllText(Path.Combine(_dir, "my.kernel"), "kernel 1\nname myvariant\nbase v4.14\nremove wp_page_copy mmu_notifier_invalidate_range\n");
        var (exit, output, err) = FuzzProcess.RunIn(_dir, "run", "--kernel", "my.kernel", "--seed", "3", "--save", "found", "--scenarios", "200000");
        Assert.True(exit == 1, output + err);
        Assert.True(File.Exists(Path.Combine(_dir, "found", "my.kernel")), "the variant's kernel file is saved beside its finding");
        string file = Assert.Single(Directory.EnumerateFiles(Path.Combine(_dir, "found"), "*.scenario"));
        Assert.Contains("kernel my.kernel\n", File.ReadAllText(file));
        Assert.Contains($"replay: dotnet run --project {Path.Combine(FuzzProcess.RepoRoot, "src", "Fuzz")} -c Release -- replay found/", output);
        return Path.GetRelativePath(_dir, file);
    }

    [Fact]
    public void Promote_to_a_directory_works_outside_the_repository_and_brings_the_kernel_along()
    {
        string file = Finding();
        var (exit, output, err) = FuzzProcess.RunIn(_dir, "promote", "--to", "regressions", file);
        Assert.True(exit == 0, output + err);
        Assert.Contains("copied its kernel my.kernel", output);
        Assert.True(File.Exists(Path.Combine(_dir, "regressions", "my.kernel")));
        Assert.Equal(0, FuzzProcess.RunIn(_dir, "replay", Path.Combine("regressions", Path.GetFileName(file))).Exit);
        // Again: already there, nothing written.
        Assert.Contains("already in", FuzzProcess.RunIn(_dir, "promote", "--to", "regressions", file).Out);
        // Without --to, outside the repository: a usage error, not a crash.
        Assert.Equal(2, FuzzProcess.RunIn(_dir, "promote", file).Exit);
    }

    [Fact]
    public void A_refused_promote_copies_no_kernel_in()
    {
        string file = Finding();
        string target = Path.Combine(_dir, "taken");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), "scenario 1\nexpect coherent\ncpu 0 mm0: load A\n");
        var (exit, output, _) = FuzzProcess.RunIn(_dir, "promote", "--to", "taken", file);
        Assert.Equal(1, exit);
        Assert.Contains("exists and holds another scenario", output);
        Assert.False(File.Exists(Path.Combine(target, "my.kernel")));
    }

    [Fact]
    public void Two_promotes_of_one_file_at_once_both_end_with_it_promoted_once()
    {
        string file = Finding();
        using FuzzProcess a = FuzzProcess.StartIn(_dir, "promote", "--to", "both", file);
        using FuzzProcess b = FuzzProcess.StartIn(_dir, "promote", "--to", "both", file);
        var ra = a.Wait(TimeSpan.FromMinutes(1));
        var rb = b.Wait(TimeSpan.FromMinutes(1));
        Assert.True(ra.Exit == 0 && rb.Exit == 0, ra.Out + ra.Err + rb.Out + rb.Err);
        Assert.Contains("promoted to", ra.Out + rb.Out);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_dir, "both"), "*.scenario"));
    }
}
