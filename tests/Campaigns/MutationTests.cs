using Fuzz.Campaigns;
using Fuzz.Formats.Text;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Campaigns;

/// <summary>
/// Seeded mutants of the files a tiny in-process campaign writes (campaign.txt, a checkpoint,
/// timeline.txt, findings/index.txt): each parses or is refused with its file and line.
/// </summary>
public sealed class MutationTests : IDisposable
{
    private readonly TempDirectory _root = new("fuzz-campaign-mutants");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Mutated_campaign_files_parse_or_name_their_file_and_line()
    {
        var (dir, _) = CampaignTests.Run(_root, "tiny", Shard.Whole, 3000, workers: 2);
        Assert.True(File.Exists(dir.IndexPath) && File.Exists(dir.TimelinePath));
        string checkpoint = Path.Combine(dir.WorkersDir, WorkerCheckpoint.FileName(0));
        var parsers = new Dictionary<string, Action<string, string>>
        {
            [dir.ManifestPath] = (text, path) => CampaignManifest.Parse(text, path),
            [checkpoint] = (text, path) => WorkerCheckpoint.Parse(text, path),
            [dir.TimelinePath] = (text, path) => CampaignTimeline.Parse(text, path),
            [dir.IndexPath] = (text, path) =>
            {
                // The index is read from its directory (its entries must name files there).
                File.WriteAllText(path, text);
                dir.LoadIndex();
            },
        };
        string index = File.ReadAllText(dir.IndexPath);
        int accepted = 0, refused = 0;
        ulong seed = 4000;
        foreach (var (path, parse) in parsers)
        {
            var files = MutationCorpus.Read([path]);
            var (a, r) = MutationCorpus.Check(files, 30, seed, parse);
            accepted += a;
            refused += r;
            seed += 1000;
        }
        File.WriteAllText(dir.IndexPath, index);
        Assert.True(accepted > 10 && refused > 10, $"{accepted} accepted, {refused} refused");
    }
}
