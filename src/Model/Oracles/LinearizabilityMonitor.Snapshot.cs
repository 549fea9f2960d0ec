namespace Fuzz.Model.Oracles;

/// <summary>Saving and restoring the monitor in place, beside <see cref="Simulation.SimSnapshot"/>.</summary>
public sealed partial class LinearizabilityMonitor
{
    public sealed class Snapshot
    {
        internal readonly LinConfig[] Configs;
        internal readonly int[] Count;
        internal readonly PendingEvent[] Pending;
        internal int HistorySeen;
        internal bool Violated;
        internal int ViolationVa;
        internal int ViolationAgent;

        internal Snapshot(LinearizabilityMonitor m)
        {
            Configs = new LinConfig[m._configs.Length];
            Count = new int[m._count.Length];
            Pending = new PendingEvent[m._pending.Length];
        }
    }

    public Snapshot NewSnapshot() => new(this);

    public void Save(Snapshot s)
    {
        for (int va = 0; va < _pages; va++)
        {
            s.Count[va] = _count[va];
            Array.Copy(_configs, va * MaxConfigs, s.Configs, va * MaxConfigs, _count[va]);
        }
        _pending.CopyTo(s.Pending, 0);
        s.HistorySeen = _historySeen;
        s.Violated = Violated;
        s.ViolationVa = ViolationVa;
        s.ViolationAgent = ViolationAgent;
    }

    public void Restore(Snapshot s)
    {
        for (int va = 0; va < _pages; va++)
        {
            _count[va] = s.Count[va];
            Array.Copy(s.Configs, va * MaxConfigs, _configs, va * MaxConfigs, _count[va]);
        }
        s.Pending.CopyTo(_pending, 0);
        _historySeen = s.HistorySeen;
        Violated = s.Violated;
        ViolationVa = s.ViolationVa;
        ViolationAgent = s.ViolationAgent;
    }

    /// <summary>Forget a violation (a decoded state never holds one: violating states are not expanded).</summary>
    public void ClearViolation()
    {
        Violated = false;
        ViolationVa = ViolationAgent = -1;
    }
}
