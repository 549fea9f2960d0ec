using Fuzz.Model.Oracles;

namespace Fuzz.Unit.Oracles;

/// <summary>The per-page linearizability search on hand-made histories (ticks are real time).</summary>
public class LinearizabilityCheckerTests
{
    private const int Pending = int.MaxValue;

    private static HistoryEvent E(HistoryKind kind, int call, int ret, int value = 0, int mm = 0) => new()
    {
        Kind = kind, Call = call, Return = ret, Value = value, Mm = (byte)mm, Op = -1,
    };

    private static bool Lin(int initial, params HistoryEvent[] h) =>
        LinearizabilityChecker.IsLinearizable(h, new RegisterState(initial, 0), int.MaxValue);

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    public void Load_concurrent_with_madvise_may_return_old_value_or_zero(int observed)
    {
        Assert.True(Lin(5, E(HistoryKind.Zap, 1, 10), E(HistoryKind.Read, 5, 6, observed)));
    }

    [Fact]
    public void Load_after_madvise_returned_must_not_return_the_old_value()
    {
        Assert.False(Lin(5, E(HistoryKind.Zap, 1, 10), E(HistoryKind.Read, 12, 12, 5)));
    }

    [Fact]
    public void Load_after_madvise_returned_may_return_zero_or_a_later_store()
    {
        Assert.True(Lin(5, E(HistoryKind.Zap, 1, 10), E(HistoryKind.Read, 12, 12, 0)));
        Assert.True(Lin(5, E(HistoryKind.Zap, 1, 10), E(HistoryKind.Write, 11, 11, 7), E(HistoryKind.Read, 12, 12, 7)));
        Assert.True(Lin(5, E(HistoryKind.Zap, 1, 10), E(HistoryKind.Write, 11, 14, 7), E(HistoryKind.Read, 12, 12, 0)));
    }

    [Fact]
    public void Reads_respect_real_time_order_of_writes()
    {
        Assert.False(Lin(0, E(HistoryKind.Write, 0, 1, 1), E(HistoryKind.Write, 2, 3, 2), E(HistoryKind.Read, 4, 4, 1)));
        Assert.True(Lin(0, E(HistoryKind.Write, 0, 5, 1), E(HistoryKind.Write, 2, 3, 2), E(HistoryKind.Read, 4, 6, 1)));
    }

    [Fact]
    public void A_value_nobody_wrote_is_never_linearizable()
    {
        Assert.False(Lin(0, E(HistoryKind.Write, 0, 1, 1), E(HistoryKind.Read, 2, 3, 9)));
    }

    [Fact]
    public void A_pending_write_may_or_may_not_have_taken_effect()
    {
        Assert.True(Lin(0, E(HistoryKind.Write, 1, Pending, 7), E(HistoryKind.Read, 5, 5, 7)));
        Assert.True(Lin(0, E(HistoryKind.Write, 1, Pending, 7), E(HistoryKind.Read, 5, 5, 0)));
        Assert.False(Lin(0, E(HistoryKind.Write, 6, Pending, 7), E(HistoryKind.Read, 2, 5, 7)));
    }

    [Fact]
    public void Fork_copies_the_parent_register_at_some_instant_of_the_fork()
    {
        // parent mm0 holds 5; a parent store of 6 overlaps the fork: the child may see 5 or 6.
        var fork = E(HistoryKind.ForkCopy, 2, 10, mm: 1);
        Assert.True(Lin(5, fork, E(HistoryKind.Write, 3, 4, 6), E(HistoryKind.Read, 11, 11, 6, mm: 1)));
        Assert.True(Lin(5, fork, E(HistoryKind.Write, 3, 4, 6), E(HistoryKind.Read, 11, 11, 5, mm: 1)));
        // after fork returned, a parent store is invisible to the child.
        Assert.False(Lin(5, fork, E(HistoryKind.Write, 12, 12, 6), E(HistoryKind.Read, 13, 13, 6, mm: 1)));
        Assert.True(Lin(5, fork, E(HistoryKind.Write, 12, 12, 6), E(HistoryKind.Read, 13, 13, 5, mm: 1)));
    }

    [Fact]
    public void The_cut_treats_later_calls_as_never_made_and_open_operations_as_pending()
    {
        HistoryEvent[] h = [E(HistoryKind.Write, 0, 1, 1), E(HistoryKind.Read, 2, 3, 9)];
        Assert.True(LinearizabilityChecker.IsLinearizable(h, new RegisterState(0, 0), cut: 1));
        Assert.False(LinearizabilityChecker.IsLinearizable(h, new RegisterState(0, 0), cut: 3));
    }
}
