using System.Runtime.CompilerServices;
using Fuzz.Model.Oracles;
using Fuzz.Model.Simulation;

namespace Fuzz.Search.Verification;

/// <summary>
/// The linearizability monitor: per page its pending operations and its configurations (sorted by
/// the monitor). The simulator's history is not encoded; decoding rebuilds it with just the pending
/// entries, where the running operations will record their returns.
/// </summary>
public sealed partial class StateCodec
{
    private readonly (int Value, int Mm, uint Mask)[] _views = new (int, int, uint)[RegisterState.MaxStale];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MonitorFields()
    {
        for (int va = 0; va < _mon.Pages; va++)
        {
            ushort reads = 0;
            for (int ai = 0; ai < _mon.Agents; ai++)
            {
                ref PendingEvent p = ref _mon.Pending(va, ai);
                _b.Bool(ref p.Active);
                if (!p.Active)
                {
                    if (_b.Reading) p = default;
                    continue;
                }
                byte kind = (byte)p.Kind;
                _b.U8(ref kind);
                p.Kind = (HistoryKind)kind;
                _b.U8(ref p.Mm);
                _b.Int(ref p.Value);
                _b.Int(ref p.Op);
                if (p.Kind == HistoryKind.Read) reads |= (ushort)(1 << ai);
            }
            int n = _mon.ConfigCount(va);
            _b.Int(ref n);
            Span<LinConfig> configs = _b.Reading ? _mon.ConfigStorage(va, n) : _mon.Configs(va);
            for (int k = 0; k < n; k++) Config(ref configs[k], reads);
        }
    }

    private void Config(ref LinConfig c, ushort reads)
    {
        int mm0 = c.R.Mm0, mm1 = c.R.Mm1, count = c.R.StaleCount;
        _b.Int(ref mm0);
        _b.Int(ref mm1);
        _b.Int(ref count);
        for (int i = 0; i < count; i++)
        {
            int value = _b.Reading ? 0 : c.R.StaleValueAt(i), mm = _b.Reading ? 0 : c.R.StaleMmAt(i);
            uint mask = _b.Reading ? 0 : c.R.StaleMaskAt(i);
            _b.Int(ref value);
            _b.Int(ref mm);
            _b.UInt(ref mask);
            _views[i] = (value, mm, mask);
        }
        int done = c.Done;
        _b.Int(ref done);
        if (_b.Reading)
        {
            c = default;
            c.R = RegisterState.FromParts(mm0, mm1, _views.AsSpan(0, count)).Cleaned();
            c.Done = (ushort)done;
        }
        for (int ai = 0; ai < _mon.Agents; ai++)
        {
            if ((reads & (1 << ai)) != 0) _b.UInt(ref c.Masks[ai]);
        }
    }

    /// <summary>
    /// A decoded state's history: the pending entries only, each agent's contiguous and in page
    /// order as BeginOp records them, so that CompleteOp closes them where it looks.
    /// </summary>
    private void RebuildHistory()
    {
        History h = _s.History;
        h.Clear();
        for (int ai = 0; ai < _s.Agents.Length; ai++)
        {
            ref AgentState a = ref _s.Agents[ai];
            a.HistoryFirst = -1;
            a.HistoryCount = 0;
            if (ai >= _mon.Agents) continue;
            for (int va = 0; va < _mon.Pages; va++)
            {
                ref PendingEvent p = ref _mon.Pending(va, ai);
                if (!p.Active) continue;
                p.History = h.Add(p.Kind, ai, p.Mm, va, p.Value, 0, p.Op);
                if (a.HistoryFirst < 0) a.HistoryFirst = p.History;
                a.HistoryCount++;
            }
        }
        _mon.HistorySeen = h.Count;
    }
}
