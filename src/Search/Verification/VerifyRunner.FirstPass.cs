using Fuzz.Model.Scenarios;

namespace Fuzz.Search.Verification;

/// <summary>
/// The first pass, breadth first across scenarios: the scenarios of one operation count are
/// searched in lockstep, a window of them at a time, one level deeper per round, each explorer
/// going on from its frontier (<see cref="Explorer.Advance"/>). The first round in which one of
/// them reaches a violation fixes the window's shortest counterexample, the least index among
/// those that reached one in that round, and the others stop at that depth: no scenario is
/// searched deeper than the counterexample that ends up smallest, which a pass of separate
/// searches to a fixed depth cannot know in advance. What a window leaves at
/// <see cref="VerifyOptions.FirstPassDepth"/> with no violation goes to the second pass, as before.
/// Each explorer's answer at a depth is the one a single search to that depth gives, and the
/// decisions after a round depend only on indices and depths, so the result does not depend on
/// the number of workers.
/// </summary>
public sealed partial class VerifyRunner
{
    private const int StackSize = 16 * 1024 * 1024;

    /// <summary>Scenarios searched in lockstep per worker: the explorers of a window are all held in memory at once.</summary>
    private const int WindowPerWorker = 32;

    private void FirstPass(CancellationToken cancel)
    {
        int window = WindowPerWorker * Math.Max(1, _o.Workers);
        for (int pos = 0; pos < _queue.Count && !cancel.IsCancellationRequested;)
        {
            int ops = _queue[pos].Scenario.OperationCount;
            int end = pos;
            while (end < _queue.Count && end - pos < window && _queue[end].Scenario.OperationCount == ops) end++;
            ScenarioResult? best = Best;
            if (best is null || ops <= best.Ops) SearchWindow(pos, end, ops, cancel);
            pos = end;
        }
    }

    /// <summary>How far one explorer of a window may get ahead of the shallowest one still running: a worker does not wait for one large level, and none goes much deeper than the counterexample that stops them.</summary>
    private const int Slack = 4;

    private sealed class Member(int index, Scenario scenario, Explorer explorer)
    {
        public readonly int Index = index;
        public readonly Scenario Scenario = scenario;
        public readonly Explorer Explorer = explorer;
        public int Depth;
        public bool Busy;
        public ExploreResult? Last;
    }

    private void SearchWindow(int from, int to, int ops, CancellationToken cancel)
    {
        var live = new List<Member>();
        for (int i = from; i < to; i++)
        {
            var (index, scenario) = _queue[i];
            live.Add(new Member(index, scenario, new Explorer(_o.Kernel, scenario, _o.Explore with { MaxStates = _o.Scope.MaxStates, Preemptions = _o.Scope.Preemptions })));
            Running(live[^1].Explorer);
        }
        int limit = Math.Min(Math.Min(MaxDepthFor(ops, Best), _o.FirstPassDepth), _o.Explore.MaxDepth);
        bool stopped = false;
        var gate = new object();
        void Work()
        {
            while (true)
            {
                Member? m = null;
                lock (gate)
                {
                    while (true)
                    {
                        if (stopped || cancel.IsCancellationRequested) return;
                        m = Pick(live, limit, live.Sum(x => x.Explorer.Bytes) > _o.FirstPassMemory);
                        if (m is not null || !live.Any(x => x.Busy)) break;
                        Monitor.Wait(gate, 50);
                    }
                    if (m is null) return;
                    m.Busy = true;
                }
                ExploreResult r = m.Explorer.Advance(m.Depth + 1, cancel);
                lock (gate)
                {
                    m.Busy = false;
                    m.Last = r;
                    m.Depth++;
                    if (r.Verdict == ExploreVerdict.Cancelled) stopped = true;
                    else if (!m.Explorer.CanAdvance)
                    {
                        live.Remove(m);
                        Ended(m.Explorer, stopped: false);
                        Record(ResultOf(m.Index, m.Scenario, r), null, r);
                        // A counterexample this deep: nothing in the window needs to go deeper.
                        limit = Math.Min(limit, MaxDepthFor(ops, Best));
                    }
                    else if (m.Depth >= limit)
                    {
                        // As deep as this window goes: its answer is known now, and its memory is freed.
                        live.Remove(m);
                        RecordBounded(m, r, ops);
                    }
                    Monitor.PulseAll(gate);
                }
            }
        }
        var threads = new Thread[Math.Max(1, Math.Min(_o.Workers, live.Count))];
        for (int w = 0; w < threads.Length; w++)
        {
            threads[w] = new Thread(Work, StackSize) { IsBackground = true, Name = $"verify-{w}" };
            threads[w].Start();
        }
        foreach (Thread t in threads) t.Join();
        if (stopped || cancel.IsCancellationRequested)
        {
            foreach (Member m in live) Ended(m.Explorer, stopped: true);
            return;
        }
        // Left when a counterexample lowered the limit below where they were: bounded there.
        foreach (Member m in live)
        {
            if (m.Last is { } r) RecordBounded(m, r, ops);
            else Ended(m.Explorer, stopped: false);
        }
    }

    /// <summary>A window's scenario searched to a depth bound without a violation: final, or for the second pass when a longer counterexample could still matter.</summary>
    private void RecordBounded(Member m, ExploreResult r, int ops)
    {
        Ended(m.Explorer, stopped: false);
        bool cutShort = r.Depth < MaxDepthFor(ops, Best) && r.Depth < _o.Explore.MaxDepth;
        Record(ResultOf(m.Index, m.Scenario, r), cutShort ? m.Scenario : null, r);
        if (cutShort && m.Explorer.CanAdvance) Park(m.Index, m.Explorer);
    }

    /// <summary>
    /// The shallowest idle explorer below the limit (lowest index first), if it is at most
    /// <see cref="Slack"/> levels ahead of the shallowest one running; over the memory budget, the
    /// deepest idle one instead, to be finished and let go.
    /// </summary>
    private static Member? Pick(List<Member> live, int limit, bool overBudget)
    {
        int floor = int.MaxValue;
        foreach (Member m in live) floor = Math.Min(floor, m.Depth);
        Member? pick = null;
        foreach (Member m in live)
        {
            if (m.Busy || m.Depth >= limit || (!overBudget && m.Depth > floor + Slack)) continue;
            if (pick is null || (overBudget ? m.Depth > pick.Depth : m.Depth < pick.Depth)) pick = m;
        }
        return pick;
    }
}
