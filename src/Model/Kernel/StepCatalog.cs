using System.Reflection;
using Fuzz.Model.Simulation;

namespace Fuzz.Model.Kernel;

/// <summary>
/// Every step's catalog entry and implementation, collected once from the <see cref="StepAttribute"/>
/// on the <c>Steps</c> method named after it. A <see cref="StepId"/> without exactly one such
/// method, or such a method whose name is not a step, stops the program at the first use.
/// </summary>
public static class StepCatalog
{
    internal delegate bool StepFn(Simulator s, int ai, in Instr ins);

    private static readonly StepInfo[] Infos;
    internal static readonly StepFn[] Run;
    /// <summary>The readiness predicate of each blocking step, null for steps that never wait.</summary>
    internal static readonly StepFn?[] Ready;

    static StepCatalog()
    {
        int n = Enum.GetValues<StepId>().Length;
        Infos = new StepInfo[n];
        Run = new StepFn[n];
        Ready = new StepFn?[n];
        Type steps = typeof(Steps.Steps);
        const BindingFlags all = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (MethodInfo m in steps.GetMethods(all))
        {
            StepAttribute? a = m.GetCustomAttribute<StepAttribute>();
            if (a is null) continue;
            if (!Enum.TryParse(m.Name, out StepId id) || id.ToString() != m.Name)
                throw new InvalidOperationException($"Steps.{m.Name} is marked [Step] but no StepId has that name");
            if (Run[(int)id] is not null) throw new InvalidOperationException($"step {m.Name} is implemented twice");
            Run[(int)id] = m.CreateDelegate<StepFn>();
            if (a.Ready is not null)
            {
                MethodInfo ready = steps.GetMethod(a.Ready, all)
                    ?? throw new InvalidOperationException($"step {m.Name}: readiness predicate {a.Ready} not found");
                Ready[(int)id] = ready.CreateDelegate<StepFn>();
            }
            Infos[(int)id] = new StepInfo(m.Name, a.Category, a.Local, a.Ready is not null, a.Summary, a.Model, a.Predicate);
        }
        for (int i = 0; i < n; i++)
        {
            if (Run[i] is null) throw new InvalidOperationException($"step {(StepId)i} has no [Step] implementation in Steps");
        }
    }

    public static ref readonly StepInfo Info(StepId id) => ref Infos[(int)id];

    public static string Name(StepId id) => Infos[(int)id].Name;

    public static int Count => Infos.Length;

    public static bool TryParse(string name, out StepId id)
    {
        for (int i = 0; i < Infos.Length; i++)
        {
            if (Infos[i].Name == name)
            {
                id = (StepId)i;
                return true;
            }
        }
        id = default;
        return false;
    }
}
