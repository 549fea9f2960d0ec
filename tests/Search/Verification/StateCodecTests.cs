using System.Reflection;
using Fuzz.Formats.Kernels;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Scheduling;
using Fuzz.Model.Simulation;
using Fuzz.Search.Verification;

namespace Fuzz.Tests.Search.Verification;

/// <summary>
/// The state key: every field of the state is listed with what the codec does with it, and a
/// decoded state behaves as the state it was encoded from (same successors, same violations),
/// under every shipped kernel.
/// </summary>
public class StateCodecTests
{
    private static string Root => KernelLoader.RepoRoot(AppContext.BaseDirectory)!;

    [Fact]
    public void Every_field_of_the_state_is_encoded_or_excluded_for_a_reason()
    {
        var listed = StateFields.All.GroupBy(f => f.Type).ToDictionary(g => g.Key, g => g.Select(f => f.Field).ToHashSet());
        foreach (Type t in listed.Keys)
        {
            var actual = Fields(t).ToHashSet();
            Assert.True(actual.SetEquals(listed[t]),
                $"{t.Name}: not listed in StateFields: {string.Join(", ", actual.Except(listed[t]))}; listed but gone: {string.Join(", ", listed[t].Except(actual))}");
        }
        Assert.True(Fields(typeof(OpContext)).ToHashSet().SetEquals(StateFields.Context.Keys),
            "OpContext: " + string.Join(", ", Fields(typeof(OpContext)).Except(StateFields.Context.Keys)) + " not listed in StateFields.Context");
        Assert.True(Fields(typeof(Simulator)).ToHashSet().SetEquals(StateFields.SimulatorOutside.Keys),
            "Simulator: " + string.Join(", ", Fields(typeof(Simulator)).Except(StateFields.SimulatorOutside.Keys)) + " not accounted for in StateFields.SimulatorOutside");
        Assert.All(StateFields.All, f => Assert.True(f.Role is FieldRole.Encoded or FieldRole.Constant || f.Why.Length > 0, $"{f.Type.Name}.{f.Field} needs a reason"));
    }

    private static IEnumerable<string> Fields(Type t) =>
        t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name);

    [Theory]
    [InlineData("v4.14")]
    [InlineData("seed-a")]
    [InlineData("seed-b")]
    [InlineData("v4.14-fixed")]
    [InlineData("do-swap-page-mapcount-reuse")]
    [InlineData("v4.14-swapin-no-batched-flush")]
    [InlineData("ksm-replace-no-secondary-invalidation")]
    public void A_decoded_state_behaves_as_the_state_it_was_encoded_from(string kernelName)
    {
        KernelDefinition kernel = KernelLoader.Load(kernelName, Path.Combine(Root, "kernels"));
        var settings = GeneratorSettings.Default with { KsmdPercent = 40, KswapdPercent = 40, KcompactdPercent = 40, DevicePercent = 80 };
        int compared = 0;
        for (ulong seed = 1; seed <= 150; seed++)
        {
            Scenario sc = ScenarioGenerator.Generate(new PcgChoices(seed * 104729), settings, kernelName) with { Schedule = [] };
            var rng = new Pcg32(seed);
            Simulator a, b;
            LinearizabilityMonitor ma, mb;
            try
            {
                a = new Simulator(kernel, sc);
                b = new Simulator(kernel, sc);
                ma = new LinearizabilityMonitor(a);
                mb = new LinearizabilityMonitor(b);
            }
            catch (ModelLimitException)
            {
                continue;
            }
            var ca = new StateCodec(a, ma);
            var cb = new StateCodec(b, mb);
            var buf = new SchedAction[a.MaxActions];
            int cut = rng.Next(60);
            try
            {
                for (int step = 0; step < 200; step++)
                {
                    if (step == cut) cb.Decode(ca.Encode());
                    int n = a.CollectEnabled(buf, out int agents);
                    if (agents == 0) break;
                    SchedAction act = buf[rng.Chance(25) ? rng.Next(n) : rng.Next(agents)];
                    a.Violations.Clear();
                    b.Violations.Clear();
                    a.Execute(act);
                    ma.Observe(a);
                    if (step < cut) continue;
                    Assert.True(b.IsEnabled(act), $"seed {seed} step {step}: {act} enabled before decoding, not after");
                    b.Execute(act);
                    mb.Observe(b);
                    Assert.Equal(Verdicts(a, ma), Verdicts(b, mb));
                    Assert.True(ca.Encode().SequenceEqual(cb.Encode()), $"seed {seed} step {step}: the states differ after {act}");
                    compared++;
                    if (a.Violations.Any || ma.Violated) break;
                }
            }
            catch (ModelLimitException)
            {
            }
        }
        Assert.True(compared > 1000, $"only {compared} steps compared");
    }

    private static string Verdicts(Simulator s, LinearizabilityMonitor m) =>
        string.Join(",", s.Violations.Items.ToArray().Select(v => $"{v.Oracle}/{v.Code}")) + (m.Violated ? ",monitor" : "");

    [Fact]
    public void States_equal_up_to_frame_names_encode_equally()
    {
        // Two CPUs each store into their own fresh page: whichever faults first gets pfn 1, the other pfn 2.
        Scenario sc = Fuzz.Tests.Shared.TestKit.Scenario("""
            cpus 2
            pages 2
            cpu 0 mm0: store A 1
            cpu 1 mm0: store B 2
            """) with { Schedule = [] };
        string Final(params int[] order)
        {
            var sim = new Simulator(KernelDefinition.V414, sc);
            var codec = new StateCodec(sim, new LinearizabilityMonitor(sim));
            foreach (int agent in order)
            {
                while (sim.AgentEnabled(agent)) sim.Execute(SchedAction.Step(agent));
            }
            return Convert.ToHexString(codec.Encode());
        }
        Assert.Equal(Final(0, 1), Final(1, 0));
    }
}
