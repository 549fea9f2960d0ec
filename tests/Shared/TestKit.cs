using Fuzz.Formats.Kernels;
using Fuzz.Formats.Scenarios;
using Fuzz.Model.Kernel;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;
using Fuzz.Model.Variants;

namespace Fuzz.Tests.Shared;

/// <summary>Builds kernels and scenarios from text and replays them.</summary>
public static class TestKit
{
    private static readonly Lazy<KernelDefinition> LazyFixed = new(() =>
        KernelLoader.Load(KernelDefinition.FixedName, Path.Combine(KernelLoader.RepoRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Fuzz.sln not found above the test binaries"), "kernels")));

    /// <summary>The fixed kernel (kernels/v4.14-fixed.kernel): v4.14 with the later fixes.</summary>
    public static KernelDefinition Fixed => LazyFixed.Value;

    /// <summary>v4.14 as released.</summary>
    public static KernelDefinition V414 => KernelDefinition.V414;

    /// <summary>A variant of v4.14 from edit lines ("remove tlb_finish_mmu mm_tlb_flush_nested").</summary>
    public static KernelDefinition Variant(params string[] edits) =>
        KernelFile.Parse("kernel 1\nname test\nbase v4.14\n" + string.Join("\n", edits) + "\n", "test.kernel");

    /// <summary>A kernel file of the repository's kernels/ folder, by name ("seed-b").</summary>
    public static KernelDefinition Kernel(string name)
    {
        string root = KernelLoader.RepoRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Fuzz.sln not found above the test binaries");
        return KernelLoader.Load(name, Path.Combine(root, "kernels"));
    }

    public static Scenario Scenario(string body) => ScenarioParser.Parse("scenario 1\n" + body, "test.scenario");

    public static ReplayResult Run(string body, KernelDefinition? kernel = null) =>
        Replayer.Run(Scenario(body), kernel ?? Fixed);

    /// <summary>Which scheduled choice did not fit, in words (for a replay that skipped some).</summary>
    public static string Misfit(ReplayResult r) => r.FollowedSchedule
        ? "every choice was taken"
        : $"choice {r.FirstSkipped + 1} of {r.Sim.Scenario.Schedule.Count} ({ScheduleText.Format(r.Sim.Scenario.Schedule[r.FirstSkipped], r.Sim.Layout)}) " +
          $"was not enabled at its turn, and {r.Skipped} in all";

    /// <summary>The report text, for assertion messages that show what happened.</summary>
    public static string Show(ReplayResult r) => string.Join("\n", Fuzz.Reporting.Text.RunReport.Lines(r));
}
