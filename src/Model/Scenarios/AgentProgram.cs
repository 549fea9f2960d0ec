namespace Fuzz.Model.Scenarios;

/// <summary>What one agent runs: a CPU's thread in an mm, or the device's DMA in its bound mm.</summary>
public sealed record AgentProgram(AgentKind Kind, int Index, int Mm, IReadOnlyList<Operation> Ops)
{
    public string Name => Kind switch
    {
        AgentKind.Cpu => Names.Cpu(Index),
        AgentKind.Device => Names.Device,
        _ => Names.PriWorker,
    };
}
