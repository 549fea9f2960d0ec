using Fuzz.Model.Oracles;

namespace Fuzz.Tests.Model.Oracles;

/// <summary>The per-page linearizability search on hand-made histories (ticks are real time).</summary>
public class LinearizabilityCheckerTests
{
    private const int Pending = int.MaxValue;

    /// <summary>A history under construction; a zap adds its clear and its return.</summary>
    private sealed class H(int initial)
    {
        private readonly List<HistoryEvent> _events = new();

        public H Add(HistoryKind kind, int call, int ret, int value = 0, int mm = 0)
        {
            _events.Add(new HistoryEvent { Kind = kind, Call = call, Return = ret, Value = value, Mm = (byte)mm, Op = -1, Link = -1 });
            return this;
        }

        public H Read(int call, int ret, int value, int mm = 0) => Add(HistoryKind.Read, call, ret, value, mm);

        public H Write(int call, int ret, int value, int mm = 0) => Add(HistoryKind.Write, call, ret, value, mm);

        public H Zap(int call, int ret, int mm = 0)
        {
            Add(HistoryKind.Zap, call, ret, mm: mm);
            if (ret != Pending)
            {
                _events.Add(new HistoryEvent { Kind = HistoryKind.ZapReturn, Call = ret, Return = ret, Mm = (byte)mm, Op = -1, Link = _events.Count - 1 });
            }
            return this;
        }

        public H Fork(int call, int ret) => Add(HistoryKind.ForkCopy, call, ret, mm: 1);

        public bool Linearizable => LinearizabilityChecker.IsLinearizable(_events.ToArray(), new RegisterState(initial, 0), int.MaxValue);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    public void Load_concurrent_with_madvise_may_return_old_value_or_zero(int observed)
    {
        Assert.True(new H(5).Zap(1, 10).Read(5, 6, observed).Linearizable);
    }

    [Fact]
    public void Load_after_madvise_returned_must_not_return_the_old_value()
    {
        Assert.False(new H(5).Zap(1, 10).Read(12, 12, 5).Linearizable);
    }

    [Fact]
    public void Load_after_madvise_returned_may_return_zero_or_a_later_store()
    {
        Assert.True(new H(5).Zap(1, 10).Read(12, 12, 0).Linearizable);
        Assert.True(new H(5).Zap(1, 10).Write(11, 11, 7).Read(12, 12, 7).Linearizable);
        Assert.True(new H(5).Zap(1, 10).Write(11, 14, 7).Read(12, 12, 0).Linearizable);
    }

    [Fact]
    public void While_a_madvise_is_in_flight_a_stale_translation_may_read_the_old_page_after_a_new_page_was_written()
    {
        // The deferred flush of a zap: CPU1 still caches the old page while a fault elsewhere maps a
        // new page and a store into it completes. v4.14 allows this until the zap returns.
        Assert.True(new H(1).Zap(0, 43).Write(6, 28, 2).Read(36, 36, 1).Linearizable);
        Assert.False(new H(1).Zap(0, 43).Write(6, 28, 2).Read(44, 44, 1).Linearizable);
    }

    [Fact]
    public void A_madvise_that_returned_retires_stale_views_older_than_its_clear_even_if_another_zap_is_in_flight()
    {
        // Seed (a): CPU0's zap [1,27] cleared the page first; CPU1's zap [9,20] returned; CPU1 then
        // reads the old value through its stale entry. Not allowed, whichever zap cleared first.
        Assert.False(new H(5).Zap(1, 27).Zap(9, 20).Read(21, 21, 5).Linearizable);
        Assert.True(new H(5).Zap(1, 27).Zap(9, 20).Read(21, 21, 0).Linearizable);
    }

    [Fact]
    public void A_write_during_an_in_flight_zap_may_land_in_the_old_page()
    {
        // A store through a stale writable entry goes to the old page: a stale reader sees it, a
        // reader of the new page does not, until the zap returns.
        Assert.True(new H(1).Zap(0, 40).Write(5, 6, 2).Write(8, 9, 3).Read(10, 10, 2).Read(11, 11, 3).Linearizable);
        // After the zap returned, the old page's data is gone for good: the value it held before
        // the zap cannot come back, while a write that went into the old page is simply lost.
        Assert.False(new H(1).Zap(0, 40).Write(5, 6, 2).Write(8, 9, 3).Read(41, 41, 1).Linearizable);
        Assert.True(new H(1).Zap(0, 40).Write(5, 6, 2).Write(8, 9, 3).Read(41, 41, 2).Linearizable);
    }

    [Fact]
    public void Reads_respect_real_time_order_of_writes()
    {
        Assert.False(new H(0).Write(0, 1, 1).Write(2, 3, 2).Read(4, 4, 1).Linearizable);
        Assert.True(new H(0).Write(0, 5, 1).Write(2, 3, 2).Read(4, 6, 1).Linearizable);
    }

    [Fact]
    public void A_value_nobody_wrote_is_never_linearizable()
    {
        Assert.False(new H(0).Write(0, 1, 1).Read(2, 3, 9).Linearizable);
    }

    [Fact]
    public void A_pending_write_may_or_may_not_have_taken_effect()
    {
        Assert.True(new H(0).Write(1, Pending, 7).Read(5, 5, 7).Linearizable);
        Assert.True(new H(0).Write(1, Pending, 7).Read(5, 5, 0).Linearizable);
        Assert.False(new H(0).Write(6, Pending, 7).Read(2, 5, 7).Linearizable);
    }

    [Fact]
    public void Fork_copies_the_parent_register_at_some_instant_of_the_fork()
    {
        // parent mm0 holds 5; a parent store of 6 overlaps the fork: the child may see 5 or 6.
        Assert.True(new H(5).Fork(2, 10).Write(3, 4, 6).Read(11, 11, 6, mm: 1).Linearizable);
        Assert.True(new H(5).Fork(2, 10).Write(3, 4, 6).Read(11, 11, 5, mm: 1).Linearizable);
        // after fork returned, a parent store is invisible to the child.
        Assert.False(new H(5).Fork(2, 10).Write(12, 12, 6).Read(13, 13, 6, mm: 1).Linearizable);
        Assert.True(new H(5).Fork(2, 10).Write(12, 12, 6).Read(13, 13, 5, mm: 1).Linearizable);
    }

    [Fact]
    public void The_cut_treats_later_calls_as_never_made_and_open_operations_as_pending()
    {
        HistoryEvent[] h =
        [
            new() { Kind = HistoryKind.Write, Call = 0, Return = 1, Value = 1, Link = -1 },
            new() { Kind = HistoryKind.Read, Call = 2, Return = 3, Value = 9, Link = -1 },
        ];
        Assert.True(LinearizabilityChecker.IsLinearizable(h, new RegisterState(0, 0), cut: 1));
        Assert.False(LinearizabilityChecker.IsLinearizable(h, new RegisterState(0, 0), cut: 3));
    }
}
