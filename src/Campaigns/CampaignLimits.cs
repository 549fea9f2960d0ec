namespace Fuzz.Campaigns;

/// <summary>
/// Bounds on what campaign files may say, checked when they are read: far beyond any real campaign,
/// and small enough that no sum of them over every worker of a merge overflows a long and no
/// duration overflows a TimeSpan, so a hand-edited or damaged file is refused at its line instead of
/// crashing report, merge or resume.
/// </summary>
public static class CampaignLimits
{
    /// <summary>Workers of one campaign (threads on one machine).</summary>
    public const int MaxWorkers = 1024;
    /// <summary>Workers of a merged campaign, all inputs together.</summary>
    public const int MaxMergedWorkers = 4096;
    /// <summary>Ten years.</summary>
    public const long MaxBudgetSeconds = 10L * 366 * 24 * 3600;
    /// <summary>Elapsed time in a checkpoint or timeline: a hundred years, in milliseconds.</summary>
    public const long MaxElapsedMs = 100L * 366 * 24 * 3600 * 1000;
    /// <summary>Any one worker's count (scenarios, steps, checks): 10^15; 4096 of them still fit a long.</summary>
    public const long MaxCount = 1_000_000_000_000_000;
    /// <summary>A total over every worker (timeline samples).</summary>
    public const long MaxTotal = MaxMergedWorkers * MaxCount;
    /// <summary>Distinct failures a campaign may stop after, or list.</summary>
    public const int MaxFailures = 1_000_000;
    /// <summary>Memory figures in the timeline: a petabyte.</summary>
    public const long MaxBytes = 1L << 50;
    /// <summary>Machines of a shard split.</summary>
    public const int MaxShards = 1_000_000;
}
