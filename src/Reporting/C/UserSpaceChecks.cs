using Fuzz.Model.Scenarios;

namespace Fuzz.Reporting.C;

/// <summary>
/// What user space can check of a counterexample on a real machine: the value each CPU load may
/// return, and the value each page may hold once every operation returned, under sequential
/// consistency per page (the model's linearizability, stale-tlb, isolation and lost-write oracles
/// all show up there when they leak data). Computed from the operations alone, so the sets are
/// over-approximations that hold for every interleaving: a value outside them is a real violation,
/// never an artefact of timing. Only the operations the program drives count as writers (the
/// device's DMA is not driven, so it cannot explain a value).
/// </summary>
public static class UserSpaceChecks
{
    public sealed record Check(string What, IReadOnlyList<long> Legal);

    public sealed record Final(int Mm, int Page, Check Check);

    /// <summary>One entry per driven load, in the order of <paramref name="driven"/> and their programs.</summary>
    public static IReadOnlyList<Check> Loads(Scenario s, IReadOnlyList<AgentProgram> driven)
    {
        var checks = new List<Check>();
        foreach (AgentProgram p in driven)
        {
            for (int k = 0; k < p.Ops.Count; k++)
            {
                Operation op = p.Ops[k];
                if (op.Kind != OpKind.Load) continue;
                int mm = MmOf(p);
                var legal = new SortedSet<long>(Written(s, driven, mm, op.Va, except: p));
                long? own = LastEffect(p, mm, op.Va, k);
                if (own is { } v) legal.Add(v);
                else legal.UnionWith(Initial(s, driven, mm, op.Va));
                checks.Add(new Check($"{p.Name}'s {Ordinal(p, k)}{op}", legal.ToArray()));
            }
        }
        return checks;
    }

    /// <summary>Each page of each mm the program has, at the end: some agent's last write to it, or its initial value if nobody wrote.</summary>
    public static IReadOnlyList<Final> Finals(Scenario s, IReadOnlyList<AgentProgram> driven)
    {
        var finals = new List<Final>();
        for (int mm = 0; mm < s.Mms; mm++)
        {
            for (int va = 0; va < s.Pages; va++)
            {
                var legal = new SortedSet<long>();
                foreach (AgentProgram p in driven)
                {
                    if (MmOf(p) == mm && LastEffect(p, mm, va, p.Ops.Count) is { } v) legal.Add(v);
                }
                if (legal.Count == 0) legal.UnionWith(Initial(s, driven, mm, va));
                finals.Add(new Final(mm, va, new Check($"at the end, {Names.Mm(mm)} {Names.Page(va)}", legal.ToArray())));
            }
        }
        return finals;
    }

    /// <summary>The mm a driven program works in (kernel threads: the one their operations name).</summary>
    public static int MmOf(AgentProgram p) => p.Kind == AgentKind.Cpu ? p.Mm : p.Ops.Count > 0 ? p.Ops[0].Mm : 0;

    /// <summary>The value the program's own operations before index <paramref name="before"/> last left in (mm, va), if any.</summary>
    private static long? LastEffect(AgentProgram p, int mm, int va, int before)
    {
        if (MmOf(p) != mm) return null;
        long? v = null;
        for (int k = 0; k < before; k++)
        {
            Operation op = p.Ops[k];
            if (op.Kind is OpKind.Store or OpKind.OdirectRead && op.Va == va) v = op.Value;
            else if (op.Kind == OpKind.MadviseDontneed && op.Va <= va && va <= op.VaLast) v = 0;
        }
        return v;
    }

    /// <summary>Every value other driven programs may write into (mm, va), 0 for their MADV_DONTNEED.</summary>
    private static IEnumerable<long> Written(Scenario s, IReadOnlyList<AgentProgram> driven, int mm, int va, AgentProgram? except)
    {
        foreach (AgentProgram p in driven)
        {
            if (ReferenceEquals(p, except) || MmOf(p) != mm) continue;
            foreach (Operation op in p.Ops)
            {
                if (op.Kind is OpKind.Store or OpKind.OdirectRead && op.Va == va) yield return op.Value;
                else if (op.Kind == OpKind.MadviseDontneed && op.Va <= va && va <= op.VaLast) yield return 0;
            }
        }
    }

    /// <summary>
    /// What (mm, va) holds before anyone writes: the scenario's initial page (pte_none and the zero
    /// page read 0), or for an mm a fork creates, anything the parent's page held up to the fork.
    /// </summary>
    private static IEnumerable<long> Initial(Scenario s, IReadOnlyList<AgentProgram> driven, int mm, int va)
    {
        if (mm == 1 && s.HasFork)
        {
            // The forking thread's own writes before the fork, or the page as it started; and
            // whatever the other threads of mm0 write at any time. Its writes after the fork do not reach mm1.
            AgentProgram? forker = driven.FirstOrDefault(p => p.Ops.Any(o => o.Kind == OpKind.Fork));
            int at = forker is null ? 0 : forker.Ops.ToList().FindIndex(o => o.Kind == OpKind.Fork);
            if (forker is not null && LastEffect(forker, 0, va, at) is { } own) yield return own;
            else foreach (long v in Initial(s, driven, 0, va)) yield return v;
            foreach (long v in Written(s, driven, 0, va, except: forker)) yield return v;
            yield break;
        }
        foreach (InitialPage ip in s.InitialPages)
        {
            if (ip.Mm != mm || ip.Va != va) continue;
            if (ip.Kind == InitialPageKind.SharedWith)
            {
                foreach (long v in Initial(s, driven, ip.SharedMm, ip.SharedVa)) yield return v;
            }
            else yield return ip.Kind is InitialPageKind.Value or InitialPageKind.Swapped ? ip.Value : 0;
            yield break;
        }
        yield return 0;
    }

    /// <summary>"second " when the program has several operations that print the same.</summary>
    private static string Ordinal(AgentProgram p, int k)
    {
        string text = p.Ops[k].ToString();
        if (p.Ops.Count(o => o.ToString() == text) < 2) return "";
        int n = p.Ops.Take(k + 1).Count(o => o.ToString() == text);
        return n switch { 1 => "first ", 2 => "second ", 3 => "third ", _ => $"{n}th " };
    }
}
