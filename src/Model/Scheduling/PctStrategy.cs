namespace Fuzz.Model.Scheduling;

/// <summary>
/// Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010):
/// agents get random distinct priorities and the highest-priority enabled agent runs; at
/// <c>depth - 1</c> random steps the running agent drops below everyone. A bug that needs d
/// ordering constraints is hit with probability at least 1/(n k^(d-1)) per run, which suits the
/// thread's races: seed (b) is "CPU0 until its set_pte_at, then CPU1, then the device".
/// Hardware fills and evictions are taken now and then, as in <see cref="RandomStrategy"/>.
/// Deterministic: the same seed gives the same choices.
/// </summary>
public sealed class PctStrategy : IScheduleStrategy
{
    private Pcg32 _rng;
    private readonly int[] _priority;
    private readonly int[] _changeAt;
    private readonly int _hardwarePercent;
    private int _step;

    /// <param name="agents">How many agents the simulator has.</param>
    /// <param name="depth">Ordering constraints the bug needs (1: none but the priorities).</param>
    /// <param name="expectedSteps">About how long a run is: change points fall within it.</param>
    public PctStrategy(ulong seed, int agents, int depth, int expectedSteps, int hardwarePercent = 12)
    {
        _rng = new Pcg32(seed);
        _hardwarePercent = hardwarePercent;
        _priority = new int[agents];
        for (int i = 0; i < agents; i++) _priority[i] = depth + i;
        for (int i = agents - 1; i > 0; i--)
        {
            int j = _rng.Next(i + 1);
            (_priority[i], _priority[j]) = (_priority[j], _priority[i]);
        }
        _changeAt = new int[Math.Max(0, depth - 1)];
        for (int k = 0; k < _changeAt.Length; k++) _changeAt[k] = 1 + _rng.Next(Math.Max(1, expectedSteps));
    }

    public int Choose(ReadOnlySpan<SchedAction> enabled, int agentActions)
    {
        int hardware = enabled.Length - agentActions;
        if (hardware > 0 && (agentActions == 0 || _rng.Chance(_hardwarePercent))) return agentActions + _rng.Next(hardware);
        int best = 0;
        for (int i = 1; i < agentActions; i++)
        {
            if (_priority[enabled[i].Agent] > _priority[enabled[best].Agent]) best = i;
        }
        _step++;
        for (int k = 0; k < _changeAt.Length; k++)
        {
            // The k-th change point lowers the running agent below every initial priority.
            if (_changeAt[k] == _step) _priority[enabled[best].Agent] = _changeAt.Length - 1 - k;
        }
        return best;
    }
}
