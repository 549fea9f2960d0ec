using Fuzz.Model.Scenarios;

namespace Fuzz.Search.Verification;


/// <summary>The raw scenarios of one size: every program set, initial state and value assignment (before symmetry).</summary>
internal sealed class Builder(Scope scope, int pages, int ops)
{
    private const int Placeholder = -1;

    public IEnumerable<Scenario> All()
    {
        for (int mms = 1; mms <= scope.MaxMms; mms++)
        {
            foreach (bool fork in mms == 2 && scope.Allows(OpKind.Fork) ? new[] { false, true } : new[] { false })
            {
                foreach (InitialPage[] initial in InitialStates(mms, fork))
                {
                    foreach (AgentProgram[] programs in ProgramSets(mms, fork))
                    {
                        var s = new Scenario
                        {
                            Cpus = Math.Max(1, programs.Count(p => p.Kind == AgentKind.Cpu)),
                            Pages = pages,
                            DeviceMm = programs.Any(p => p.Kind == AgentKind.Device) ? 0 : null,
                            InitialPages = initial,
                            Programs = programs,
                        };
                        if (s.Mms != mms || s.HasFork != fork || !AllPagesUsed(s) || !scope.Fits(s)) continue;
                        foreach (Scenario split in Splits(s))
                        {
                            foreach (Scenario valued in Values(split)) yield return valued;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The scenario with its pages under one PTE page, and (page-tables 2) split in two at each page but the first: zap and copy loops then take one PTE page at a time, under its own lock.</summary>
    private IEnumerable<Scenario> Splits(Scenario s)
    {
        yield return s;
        if (scope.PageTables < 2) yield break;
        for (int b = 1; b < pages; b++) yield return s with { SecondPmd = b };
    }

    private bool AllPagesUsed(Scenario s)
    {
        var used = new bool[pages];
        foreach (InitialPage p in s.InitialPages) used[p.Va] = true;
        foreach (AgentProgram p in s.Programs)
        {
            foreach (Operation o in p.Ops)
            {
                if (o.Kind == OpKind.Fork) continue;
                for (int va = o.Va; va <= o.VaLast; va++) used[va] = true;
                if (o.Kind == OpKind.KsmMerge) used[o.Va2] = true;
            }
        }
        return used.All(u => u);
    }

    private IEnumerable<InitialPage[]> InitialStates(int mms, bool fork)
    {
        var choices = new List<List<InitialPage?>>();
        for (int mm = 0; mm < mms; mm++)
        {
            for (int va = 0; va < pages; va++)
            {
                var c = new List<InitialPage?>();
                if (mm == 1 && fork)
                {
                    c.Add(null);
                    choices.Add(c);
                    continue;
                }
                foreach (InitialKind k in scope.Initial.Order())
                {
                    c.Add(k switch
                    {
                        InitialKind.None => null,
                        InitialKind.Zero => new InitialPage(mm, va, InitialPageKind.Zero, Writable: false),
                        InitialKind.Value => new InitialPage(mm, va, InitialPageKind.Value, Placeholder, Writable: true),
                        InitialKind.ValueReadOnly => new InitialPage(mm, va, InitialPageKind.Value, Placeholder, Writable: false),
                        InitialKind.Swapped => new InitialPage(mm, va, InitialPageKind.Swapped, Placeholder, Writable: false),
                        _ => mm == 1 ? new InitialPage(1, va, InitialPageKind.SharedWith, SharedMm: 0, SharedVa: va) : null,
                    });
                }
                choices.Add(c.Distinct().ToList());
            }
        }
        foreach (InitialPage?[] combo in Product(choices))
        {
            // A shared page needs its mm0 page to hold a private value.
            bool ok = combo.All(p => p is not { Kind: InitialPageKind.SharedWith } sh
                || combo.Any(q => q is { Mm: 0, Kind: InitialPageKind.Value } && q.Value.Va == sh.SharedVa));
            if (ok) yield return combo.Where(p => p is not null).Select(p => p!.Value).ToArray();
        }
    }

    private IEnumerable<AgentProgram[]> ProgramSets(int mms, bool fork)
    {
        var slots = new List<(AgentKind Kind, int Index)>();
        for (int cpu = 0; cpu < scope.MaxCpus && scope.Agents.Contains(AgentKind.Cpu); cpu++) slots.Add((AgentKind.Cpu, cpu));
        foreach (AgentKind k in new[] { AgentKind.Device, AgentKind.Ksmd, AgentKind.Kswapd, AgentKind.Kcompactd })
        {
            if (scope.Agents.Contains(k)) slots.Add((k, 0));
        }
        return Distribute(slots, 0, ops, mms, fork, new List<AgentProgram>());
    }

    private IEnumerable<AgentProgram[]> Distribute(List<(AgentKind Kind, int Index)> slots, int i, int left, int mms, bool fork, List<AgentProgram> acc)
    {
        if (i == slots.Count)
        {
            if (left == 0) yield return acc.ToArray();
            yield break;
        }
        var (kind, index) = slots[i];
        // CPU programs take the lowest CPU numbers (which CPU is which is a symmetry).
        bool cpuGap = kind == AgentKind.Cpu && index > 0 && !acc.Any(p => p.Kind == AgentKind.Cpu && p.Index == index - 1);
        for (int len = 0; len <= Math.Min(left, scope.MaxOpsPerAgent); len++)
        {
            if (len > 0 && cpuGap) break;
            if (len == 0)
            {
                foreach (var rest in Distribute(slots, i + 1, left, mms, fork, acc)) yield return rest;
                continue;
            }
            foreach (int mm in kind == AgentKind.Cpu ? Enumerable.Range(0, mms) : new[] { kind == AgentKind.Device ? 0 : 0 })
            {
                foreach (Operation[] seq in Sequences(Alphabet(kind, mm, mms, fork), len))
                {
                    acc.Add(new AgentProgram(kind, index, mm, seq));
                    foreach (var rest in Distribute(slots, i + 1, left - len, mms, fork, acc)) yield return rest;
                    acc.RemoveAt(acc.Count - 1);
                }
            }
        }
    }

    private List<Operation> Alphabet(AgentKind kind, int mm, int mms, bool fork)
    {
        var a = new List<Operation>();
        for (int va = 0; va < pages; va++)
        {
            switch (kind)
            {
                case AgentKind.Cpu:
                    if (scope.Allows(OpKind.Load)) a.Add(Operation.Load(va));
                    if (scope.Allows(OpKind.Store)) a.Add(Operation.Store(va, Placeholder));
                    // open(2): no O_DIRECT on a private mapping beside fork.
                    if (scope.Allows(OpKind.OdirectRead) && !fork) a.Add(Operation.OdirectRead(va, Placeholder));
                    if (scope.Allows(OpKind.MadviseDontneed))
                    {
                        for (int last = va; last < pages; last++) a.Add(Operation.Madvise(va, last));
                    }
                    break;
                case AgentKind.Device:
                    if (scope.Allows(OpKind.DmaRead)) a.Add(Operation.DmaRead(va));
                    if (scope.Allows(OpKind.DmaWrite)) a.Add(Operation.DmaWrite(va, Placeholder));
                    break;
                default:
                    for (int m = 0; m < mms; m++)
                    {
                        if (kind == AgentKind.Kswapd && scope.Allows(OpKind.SwapOut)) a.Add(Operation.SwapOut(m, va));
                        if (kind == AgentKind.Kcompactd && scope.Allows(OpKind.Migrate)) a.Add(Operation.Migrate(m, va));
                        if (kind != AgentKind.Ksmd || !scope.Allows(OpKind.KsmMerge)) continue;
                        for (int m2 = 0; m2 < mms; m2++)
                        {
                            for (int va2 = 0; va2 < pages; va2++)
                            {
                                if ((m2, va2) != (m, va)) a.Add(Operation.KsmMerge(m, va, m2, va2));
                            }
                        }
                    }
                    break;
            }
        }
        if (kind == AgentKind.Cpu && mm == 0 && fork) a.Add(Operation.Fork());
        return a;
    }

    private static IEnumerable<Operation[]> Sequences(List<Operation> alphabet, int len)
    {
        if (len == 0)
        {
            yield return [];
            yield break;
        }
        foreach (Operation[] rest in Sequences(alphabet, len - 1))
        {
            foreach (Operation o in alphabet)
            {
                // One fork per scenario (the model has one child mm).
                if (o.Kind == OpKind.Fork && rest.Any(r => r.Kind == OpKind.Fork)) continue;
                yield return [.. rest, o];
            }
        }
    }

    /// <summary>The values: all distinct, or (values any) every partition of the value slots into equal values.</summary>
    private IEnumerable<Scenario> Values(Scenario s)
    {
        if (s.Programs.Count(p => p.Ops.Any(o => o.Kind == OpKind.Fork)) > 1) yield break;
        int slots = s.InitialPages.Count(p => p.Value == Placeholder) + s.Programs.Sum(p => p.Ops.Count(o => OpKinds.HasValue(o.Kind)));
        foreach (int[] labels in scope.EqualValues ? Partitions(slots) : [Enumerable.Range(1, slots).ToArray()])
        {
            int next = 0;
            int Take() => labels[next++];
            var pagesV = s.InitialPages.Select(p => p.Value == Placeholder ? p with { Value = Take() } : p).ToArray();
            var programs = s.Programs.Select(p => p with
            {
                Ops = p.Ops.Select(o => OpKinds.HasValue(o.Kind) ? o with { Value = Take() } : o).ToArray(),
            }).ToArray();
            yield return s with { InitialPages = pagesV, Programs = programs };
        }
    }

    /// <summary>Restricted growth strings: label i is at most 1 + the largest label before it.</summary>
    private static IEnumerable<int[]> Partitions(int n)
    {
        var a = new int[n];
        IEnumerable<int[]> Rec(int i, int max)
        {
            if (i == n)
            {
                yield return (int[])a.Clone();
                yield break;
            }
            for (int v = 1; v <= max + 1; v++)
            {
                a[i] = v;
                foreach (int[] r in Rec(i + 1, Math.Max(max, v))) yield return r;
            }
        }
        return Rec(0, 0);
    }

    private static IEnumerable<T[]> Product<T>(List<List<T>> choices)
    {
        var idx = new int[choices.Count];
        if (choices.Any(c => c.Count == 0)) yield break;
        while (true)
        {
            yield return choices.Select((c, i) => c[idx[i]]).ToArray();
            int k = choices.Count - 1;
            while (k >= 0 && ++idx[k] == choices[k].Count)
            {
                idx[k] = 0;
                k--;
            }
            if (k < 0) yield break;
        }
    }
}
