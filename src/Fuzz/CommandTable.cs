using Fuzz.Commands;

namespace Fuzz;

/// <summary>Every subcommand, in the order 'fuzz --help' lists them.</summary>
internal static class CommandTable
{
    public static readonly IReadOnlyList<Command> All =
    [
        new("run", RunCommand.Usage, RunCommand.Run),
        new("replay", ReplayCommand.Usage, ReplayCommand.Run),
        new("promote", PromoteCommand.Usage, PromoteCommand.Run),
        new("audit", AuditCommand.Usage, AuditCommand.Run),
        new("campaign", CampaignCommand.Usage, CampaignCommand.Run),
        new("verify", VerifyCommand.Usage, VerifyCommand.Run),
        new("merge", MergeCommand.Usage, MergeCommand.Run),
        new("report", ReportCommand.Usage, ReportCommand.Run),
        new("export", ExportCommand.Usage, ExportCommand.Run),
        new("recipes", RecipesCommand.Usage, RecipesCommand.Run),
        new("steps", StepsCommand.Usage, StepsCommand.Run),
        new("settings", SettingsCommand.Usage, SettingsCommand.Run),
    ];

    public static Command? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
