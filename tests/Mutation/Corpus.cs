using Fuzz.Campaigns;
using Fuzz.Formats.Text;

namespace Fuzz.Mutation;

/// <summary>The kinds of file mutated, each with the shipped (or freshly written) originals.</summary>
internal enum Kind { Scenario, Kernel, Settings, Campaign, Scope }

/// <summary>
/// The originals and a scratch area to place mutants in: a scenario mutant beside copies of the
/// regression kernels (so its 'kernel NAME.kernel' resolves), a kernel mutant beside copies of
/// kernels/ (so its 'base' resolves), a campaign mutant as one file replaced in a copy of a tiny
/// campaign's directory.
/// </summary>
internal sealed class Corpus
{
    public required string Root { get; init; }
    public required string Scratch { get; init; }
    public required IReadOnlyDictionary<Kind, IReadOnlyList<(string Name, string Text)>> Originals { get; init; }
    /// <summary>The tiny campaign the campaign mutants start from.</summary>
    public required string Campaign { get; init; }

    /// <summary>Files of a campaign directory a mutant may replace, relative to it.</summary>
    public static readonly string[] CampaignFiles =
        ["campaign.txt", "workers/worker-0.txt", "workers/worker-1.txt", "timeline.txt", "findings/index.txt", "findings/FINDING"];

    public static Corpus Build(string root, string scratch)
    {
        Directory.CreateDirectory(scratch);
        string regressions = Path.Combine(scratch, "regressions"), kernels = Path.Combine(scratch, "kernels");
        Directory.CreateDirectory(regressions);
        Directory.CreateDirectory(kernels);
        foreach (string k in Directory.EnumerateFiles(Path.Combine(root, "tests", "Regressions"), "*.kernel"))
            File.Copy(k, Path.Combine(regressions, Path.GetFileName(k)));
        foreach (string k in Directory.EnumerateFiles(Path.Combine(root, "kernels"), "*.kernel"))
            File.Copy(k, Path.Combine(kernels, Path.GetFileName(k)));
        // The fixed kernel includes kernels/fixes/, and most variants are based on it.
        Directory.CreateDirectory(Path.Combine(kernels, "fixes"));
        foreach (string k in Directory.EnumerateFiles(Path.Combine(root, "kernels", "fixes"), "*.kernel"))
            File.Copy(k, Path.Combine(kernels, "fixes", Path.GetFileName(k)));

        string campaign = TinyCampaign(Path.Combine(scratch, "campaign"), Path.Combine(root, "kernels", "seed-b.kernel"));
        string finding = Directory.EnumerateFiles(Path.Combine(campaign, "findings"), "*.scenario").Order(StringComparer.Ordinal).First();
        var originals = new Dictionary<Kind, IReadOnlyList<(string, string)>>
        {
            [Kind.Scenario] = Read(Path.Combine(root, "tests", "Regressions"), "*.scenario"),
            [Kind.Kernel] = Read(Path.Combine(root, "kernels"), "*.kernel").Concat(Read(Path.Combine(root, "kernels", "fixes"), "*.kernel"))
                .Concat(Read(Path.Combine(root, "tests", "Regressions"), "*.kernel")).ToList(),
            [Kind.Settings] = Read(Path.Combine(root, "settings"), "*.settings")
                .Append(("defaults.settings", string.Join('\n', Fuzz.Generators.GeneratorSettings.Default.Describe()) + "\n")).ToList(),
            [Kind.Scope] = Read(Path.Combine(root, "scopes"), "*.scope"),
            [Kind.Campaign] = CampaignFiles.Select(f => (f, File.ReadAllText(Path.Combine(campaign, f == "findings/FINDING" ? Path.Combine("findings", Path.GetFileName(finding)) : f)))).ToList(),
        };
        return new Corpus { Root = root, Scratch = scratch, Originals = originals, Campaign = campaign };
    }

    private static List<(string, string)> Read(string dir, string pattern) =>
        Directory.EnumerateFiles(dir, pattern).Order(StringComparer.Ordinal).Select(p => (Path.GetFileName(p), File.ReadAllText(p))).ToList();

    /// <summary>Seed (b) with two workers for a few thousand scenarios: every campaign file, and a finding.</summary>
    private static string TinyCampaign(string dir, string seedBKernel)
    {
        var d = new CampaignDirectory(dir);
        using (DirectoryLock held = d.CreateLocked(new CampaignManifest { Kernel = "seed-b.kernel", Seed = 0x5eed, Workers = 2, ScenariosPerWorker = 4000, Created = "2026-12-01T00:00:00Z" },
                   ("seed-b.kernel", File.ReadAllText(seedBKernel))))
        {
            var kernel = d.LoadKernel(d.LoadManifest());
            new CampaignRunner(d, kernel).Run(null);
        }
        if (!File.Exists(d.IndexPath)) throw new InvalidOperationException("the tiny campaign found nothing; its index is missing");
        return dir;
    }

    /// <summary>Write a mutant where its kind is read from; returns the path to give the consumer.</summary>
    public string Place(Kind kind, int index, string originalName, string text)
    {
        switch (kind)
        {
            case Kind.Scenario:
                return WriteAt(Path.Combine(Scratch, "regressions", $"mutant-{index}.scenario"), text);
            case Kind.Kernel:
                return WriteAt(Path.Combine(Scratch, "kernels", $"mutant-{index}.kernel"), text);
            case Kind.Settings:
                return WriteAt(Path.Combine(Scratch, "settings", $"mutant-{index}.settings"), text);
            case Kind.Scope:
                return WriteAt(Path.Combine(Scratch, "scopes", $"mutant-{index}.scope"), text);
            default:
                string dir = Path.Combine(Scratch, "campaigns", $"mutant-{index}");
                CopyDirectory(Campaign, dir);
                string file = originalName == "findings/FINDING"
                    ? Directory.EnumerateFiles(Path.Combine(dir, "findings"), "*.scenario").Order(StringComparer.Ordinal).First()
                    : Path.Combine(dir, originalName);
                WriteAt(file, text);
                return dir;
        }
    }

    /// <summary>Remove what a mutant left in the scratch area (kept when it was a failure).</summary>
    public static void Remove(Kind kind, string path)
    {
        try
        {
            if (kind == Kind.Campaign) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private static string WriteAt(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string name = Path.GetFileName(file);
            if (name is DirectoryLock.LockName or DirectoryLock.OwnerName) continue;
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
