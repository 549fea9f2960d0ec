using System.Reflection;
using System.Runtime.InteropServices;
using Fuzz.Model.Machine;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Tests.Shared;

namespace Fuzz.Tests.Model.Simulation;

/// <summary>
/// Simulator.Save and Restore copy the machine field by field, in two lists written by hand; a
/// field missing from one of them once made the exhaustive search restore half a state (a
/// counterexample that did not replay). Here every field of the machine and of the simulator's
/// own run state is found by reflection, overwritten after Save with values it cannot have had,
/// and must be back after Restore: a field added to the machine and not to the snapshot fails.
/// </summary>
public class SnapshotTests
{
    private const string Busy = """
        cpus 2
        pages 2
        device mm0
        page mm0 A 5 rw
        page mm0 B swapped 3
        cpu 0 mm0: store A 1; madvise_dontneed A-B; load B
        cpu 1 mm0: load B; fork; store A 2
        device: dma_read A; dma_write B 4
        kswapd: swap_out mm0 A
        """;

    /// <summary>The simulator's fields that are run state (the rest are the scenario, options and scratch).</summary>
    private static readonly string[] SimulatorState = ["Agents", "OpCall", "OpReturn"];

    [Fact]
    public void Restore_brings_back_every_field_of_the_machine_and_the_agents()
    {
        var sim = new Simulator(TestKit.Fixed, TestKit.Scenario(Busy));
        var enabled = new SchedAction[sim.MaxActions];
        // Into the middle of things: a deterministic walk through the enabled actions.
        for (int i = 0; i < 40; i++)
        {
            int n = sim.CollectEnabled(enabled, out _);
            if (n == 0) break;
            sim.Execute(enabled[i * 7 % n]);
        }
        var fields = Fields(sim).ToList();
        Assert.Contains(fields, f => f.Name == "MachineState.Ats");
        var before = fields.Select(f => Copy(f.Get())).ToList();
        var snap = sim.NewSnapshot();
        sim.Save(snap);
        int tick = sim.Tick;
        foreach (var f in fields) f.Scramble();
        sim.Tick = tick + 1000;
        sim.Restore(snap);
        for (int i = 0; i < fields.Count; i++)
            Assert.True(Same(before[i], fields[i].Get()), $"{fields[i].Name} is not restored by Simulator.Restore (or not saved by Simulator.Save)");
        Assert.Equal(tick, sim.Tick);
    }

    private sealed record Field(string Name, Func<object> Get, Action Scramble);

    private static IEnumerable<Field> Fields(Simulator sim)
    {
        MachineState m = sim.M;
        foreach (FieldInfo f in typeof(MachineState).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            // The machine's dimensions never change.
            if (f.IsInitOnly && !f.FieldType.IsArray) continue;
            yield return FieldOf("MachineState." + f.Name, m, f);
        }
        foreach (string name in SimulatorState)
            yield return FieldOf("Simulator." + name, sim, typeof(Simulator).GetField(name)!);
    }

    private static Field FieldOf(string name, object owner, FieldInfo f) =>
        f.FieldType.IsArray
            ? new Field(name, () => f.GetValue(owner)!, () => ScrambleArray((Array)f.GetValue(owner)!))
            : new Field(name, () => f.GetValue(owner)!, () => f.SetValue(owner, Other(f.GetValue(owner)!)));

    private static void ScrambleArray(Array a)
    {
        for (int i = 0; i < a.Length; i++) a.SetValue(Other(a.GetValue(i)!), i);
    }

    /// <summary>A value of the same type that differs in every primitive it holds.</summary>
    private static object Other(object v)
    {
        Type t = v.GetType();
        if (t.IsEnum) return Enum.ToObject(t, ~Convert.ToInt64(v) & 0x7f);
        switch (v)
        {
            case bool b: return !b;
            case byte b: return (byte)~b;
            case sbyte b: return (sbyte)~b;
            case short s: return (short)~s;
            case ushort s: return (ushort)~s;
            case int i: return ~i;
            case uint i: return ~i;
            case long l: return ~l;
            case ulong l: return ~l;
        }
        if (!t.IsValueType) return v;
        object boxed = v;
        foreach (FieldInfo f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            f.SetValue(boxed, Other(f.GetValue(boxed)!));
        return boxed;
    }

    private static object Copy(object v) => v is Array a ? a.Clone() : v;

    /// <summary>Equal contents: arrays byte for byte (their structs hold inline arrays, which have no Equals), values by Equals.</summary>
    private static bool Same(object a, object b)
    {
        if (a is Array x && b is Array y)
        {
            MethodInfo bytes = typeof(SnapshotTests).GetMethod(nameof(SameBytes), BindingFlags.Static | BindingFlags.NonPublic)!;
            return (bool)bytes.MakeGenericMethod(x.GetType().GetElementType()!).Invoke(null, [x, y])!;
        }
        return Equals(a, b);
    }

    private static bool SameBytes<T>(T[] a, T[] b) where T : struct =>
        MemoryMarshal.AsBytes(a.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.AsSpan()));
}
