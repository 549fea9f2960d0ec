using Fuzz.Model.Simulation;

namespace Fuzz.Formats.Scenarios;

/// <summary>
/// What one scenario may hold, so that a file the parser accepts fits the model: beyond the machine's
/// own bounds (Limits: CPUs, pages, frames, swap slots), the linearizability checker's per-page
/// history and the tick limit. The generator stays within them too.
/// </summary>
public static class ScenarioLimits
{
    /// <summary>
    /// Operations per agent program: the generator's at most 8 (GeneratorSettings.MaxOps), plus the
    /// fork it may insert. Kernel threads record no history, so at most four CPUs and the device
    /// (5 × 9 = 45 operations, plus the return events of at most 8 MADV_DONTNEEDs) touch one page:
    /// under the linearizability checker's 64 events per page (LinearizabilityChecker.MaxOpsPerPage).
    /// </summary>
    public const int MaxOpsPerAgent = 9;

    /// <summary>MADV_DONTNEEDs whose range covers one page (both mms): the linearizability search tracks at most 8 zaps of a page.</summary>
    public const int MaxMadvisePerPage = 8;

    /// <summary>
    /// Schedule actions, after *N repeats. A run stops at the tick limit, and a recorded schedule has
    /// one action per tick, so a longer schedule can never be taken; refusing it also keeps a long
    /// line from costing seconds and gigabytes to expand.
    /// </summary>
    public static int MaxScheduleActions => SimOptions.Default.MaxTicks;
}
