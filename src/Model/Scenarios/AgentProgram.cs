namespace Fuzz.Model.Scenarios;

/// <summary>What one agent runs: a CPU's thread in an mm, the device's DMA in its bound mm, or a kernel thread's work.</summary>
public sealed record AgentProgram(AgentKind Kind, int Index, int Mm, IReadOnlyList<Operation> Ops)
{
    public string Name => Kind == AgentKind.Cpu ? Names.Cpu(Index) : Names.Of(Kind);
}
