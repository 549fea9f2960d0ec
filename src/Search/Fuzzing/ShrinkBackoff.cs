using Fuzz.Model.Kernel;
using Fuzz.Model.Oracles;

namespace Fuzz.Search.Fuzzing;

/// <summary>
/// Which failures to shrink. A failure's signature is its first violation's oracle, code and step.
/// Every occurrence is shrunk until three shrinks in a row of that signature gave only failures
/// already found; after that only the 2nd, 4th, 8th, ... further occurrence is, so a new bug with
/// a known signature is still found, in logarithmic time. Counts are per fuzz runner (per worker),
/// so the choice depends only on that worker's scenarios: reproducible.
/// </summary>
public sealed class ShrinkBackoff
{
    private readonly Dictionary<(OracleId, ViolationCode, StepId), State> _states = new();

    private sealed class State
    {
        public int Stale;
        public long Skipped;
        public long NextAt = 1;
    }

    public bool ShouldShrink((OracleId, ViolationCode, StepId) signature)
    {
        if (!_states.TryGetValue(signature, out State? st))
        {
            _states[signature] = new State();
            return true;
        }
        if (st.Stale < 3) return true;
        st.Skipped++;
        if (st.Skipped < st.NextAt) return false;
        st.NextAt *= 2;
        return true;
    }

    public void Shrunk((OracleId, ViolationCode, StepId) signature, bool isNew)
    {
        State st = _states[signature];
        if (isNew)
        {
            st.Stale = 0;
            st.Skipped = 0;
            st.NextAt = 1;
        }
        else
        {
            st.Stale++;
        }
    }
}
