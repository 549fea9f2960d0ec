using System.Runtime.CompilerServices;
using Fuzz.Model.Machine;
using Fuzz.Model.Scenarios;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Verification;

/// <summary>
/// PTE versions as ranks. Per (mm, page) the versions in use are the PTE's own (the largest: it
/// only grows), those valid cached translations were filled from, and those a running
/// MADV_DONTNEED or fork saw (<see cref="OpContext.Seen"/>, read only by the stale-tlb oracle at
/// their return). Every comparison the model makes is between two of these or with a later
/// version of the same PTE, so replacing each by its rank among them changes no outcome.
/// </summary>
public sealed partial class StateCodec
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CollectVersions()
    {
        Array.Clear(_versionCount);
        for (int g = 0; g < _m.PageTable.Length; g++) AddVersion(g, _m.PteVersion[g]);
        for (int cpu = 0; cpu < _m.Cpus; cpu++)
        {
            for (int mm = 0; mm < _m.Mms; mm++)
            {
                for (int va = 0; va < _m.Pages; va++)
                {
                    ref TlbEntry e = ref _m.TlbAt(cpu, mm, va);
                    if (e.Valid) AddVersion(mm * _m.Pages + va, e.PteVersion);
                }
            }
        }
        if (_m.IommuMm >= 0)
        {
            for (int va = 0; va < _m.Pages; va++)
            {
                if (_m.Atc[va].Valid) AddVersion(_m.IommuMm * _m.Pages + va, _m.Atc[va].PteVersion);
            }
        }
        CollectIommuVersions();
        for (int ai = 0; ai < _s.Agents.Length; ai++)
        {
            ref AgentState a = ref _s.Agents[ai];
            if (!SeenLive(ref a)) continue;
            for (int va = a.Ctx.RangeFirst; va <= a.Ctx.RangeLast; va++) AddVersion(a.Ctx.Mm * _m.Pages + va, a.Ctx.Seen[va]);
        }
        for (int g = 0; g < _versionCount.Length; g++)
        {
            Span<int> v = _versions.AsSpan(g * _groupSize, _versionCount[g]);
            v.Sort();
            int kept = 0;
            for (int i = 0; i < v.Length; i++)
            {
                if (kept == 0 || v[kept - 1] != v[i]) v[kept++] = v[i];
            }
            _versionCount[g] = kept;
        }
    }

    /// <summary>Whether the agent's <see cref="OpContext.Seen"/> can still be read: a MADV_DONTNEED or fork that has started.</summary>
    private bool SeenLive(ref AgentState a) =>
        a.InOp && a.Started && a.CurOp >= 0 && _s.Ops[a.CurOp].Kind is OpKind.MadviseDontneed or OpKind.Fork;

    private void AddVersion(int group, int version)
    {
        if (group < 0) return;
        _versions[group * _groupSize + _versionCount[group]++] = version;
    }

    private void Version(ref int version, int group)
    {
        if (_b.Reading)
        {
            version = _b.Take();
            return;
        }
        Span<int> v = _versions.AsSpan(group * _groupSize, _versionCount[group]);
        int rank = v.BinarySearch(version);
        if (rank < 0) throw new InvalidOperationException($"version {version} of group {group} was not collected");
        _b.Put(rank);
    }
}
