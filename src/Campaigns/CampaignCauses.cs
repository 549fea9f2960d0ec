using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Formats.Text;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Campaigns;

/// <summary>
/// A campaign's distinct failures grouped by root cause, from what findings/index.txt records of
/// each (its cause parts and size). A record from an index written before causes were recorded
/// gets them by replaying its finding file, so resume, merge and report group every campaign alike.
/// </summary>
public static class CampaignCauses
{
    /// <summary>The record with its cause and steps, computed from its file if the index did not have them.</summary>
    public static FindingRecord Complete(CampaignDirectory dir, FindingRecord r)
    {
        if (r.Cause is { Count: > 0 } && r.Steps >= 0) return r;
        try
        {
            Scenario s = ScenarioParser.Load(Path.Combine(dir.FindingsDir, r.File));
            CauseSignature.Result c = CauseSignature.Of(s, KernelLoader.Load(s.Kernel, dir.FindingsDir), r.Oracle);
            return r with { Cause = c.Parts, Steps = c.Steps };
        }
        catch (Exception e) when (e is FileNotFoundException or FileFormatException or ModelLimitException)
        {
            // Cannot replay: a cause of its own, named by its file, so that it is still shown.
            return r with { Cause = [CauseSignature.Hash("unreplayable " + r.File)], Steps = Math.Max(0, r.Steps) };
        }
    }

    public static RootCauses.Shape ShapeOf(FindingRecord r) =>
        new(r.File, r.Cause ?? [CauseSignature.Hash("unknown " + r.File)], r.ShrunkOps < 0 ? int.MaxValue : r.ShrunkOps, r.Steps < 0 ? int.MaxValue : r.Steps);

    /// <summary>The causes of a list of (completed) records, in the order their first shape was found.</summary>
    public static IReadOnlyList<RootCauses.Cause> Group(IEnumerable<FindingRecord> records) =>
        RootCauses.Group(records.Select(ShapeOf).ToArray());
}
