using System.Text;
using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Tests;

public sealed class SequenceCountingTests
{
    [Fact]
    public void TrackerTellsLateMessagesFromRepeatedOnes()
    {
        var tracker = new SequenceTracker();

        Assert.Equal(Arrival.InOrder, tracker.Observe(1));
        Assert.Equal(Arrival.InOrder, tracker.Observe(3));
        Assert.Equal(Arrival.OutOfOrder, tracker.Observe(2));
        Assert.Equal(Arrival.Duplicate, tracker.Observe(2));
        Assert.Equal(Arrival.Duplicate, tracker.Observe(3));
        Assert.Equal(Arrival.InOrder, tracker.Observe(4));
        Assert.Equal(4, tracker.Unique);
    }

    [Fact]
    public void TrackerGrowsForLongRunsAndRefusesImpossibleNumbers()
    {
        var tracker = new SequenceTracker();
        for (var sequence = 1; sequence <= 200_000; sequence++) Assert.Equal(Arrival.InOrder, tracker.Observe(sequence));

        Assert.Equal(Arrival.Invalid, tracker.Observe(0));
        Assert.Equal(Arrival.Invalid, tracker.Observe(SequenceTracker.MaxSequence + 1));
        Assert.Equal(200_000, tracker.Unique);

        tracker.Clear();
        Assert.Equal(Arrival.InOrder, tracker.Observe(5));
        Assert.Equal(1, tracker.Unique);
    }

    [Fact]
    public void ReceiverCountsDeliveriesDuplicatesReorderingAndStrays()
    {
        var stats = new ReceiverStats(senders: 2);
        stats.Start(run: 7);

        Assert.True(stats.TryCount(Frame(7, 0, 1), Stamp(0) + 1_000));
        Assert.True(stats.TryCount(Frame(7, 1, 2), Stamp(0)));
        Assert.True(stats.TryCount(Frame(7, 1, 1), Stamp(0)));   // late
        Assert.True(stats.TryCount(Frame(7, 0, 1), Stamp(0)));   // again
        Assert.True(stats.TryCount(Frame(6, 0, 2), Stamp(0)));   // the previous run
        Assert.True(stats.TryCount(Frame(7, 5, 1), Stamp(0)));   // no such sender
        Assert.False(stats.TryCount("* bench0002 joined"u8, Stamp(0)));

        Assert.Equal(new ReceivedCounts(Delivered: 3, Duplicates: 1, OutOfOrder: 1, Strays: 2), stats.Counts());
        Assert.Equal(3, stats.Delivered);
    }

    [Fact]
    public void ReceiverRecordsLatencyFromTheStampInTheMessage()
    {
        var stats = new ReceiverStats(senders: 1);
        stats.Start(run: 1);
        var sent = Stamp(0);

        stats.TryCount(Frame(1, 0, 1, sent), sent + LatencyClock.TicksFromSeconds(0.002));
        stats.TryCount(Frame(1, 0, 2, sent), sent + LatencyClock.TicksFromSeconds(0.040));

        var latency = new LatencyHistogram();
        stats.AddLatencyTo(latency);
        Assert.InRange(latency.ValueAtQuantile(0.5), 2_000, 2_032);
        Assert.InRange(latency.MaxMicroseconds, 40_000, 40_001);
    }

    [Fact]
    public void StartingANewRunForgetsTheLastOne()
    {
        var stats = new ReceiverStats(senders: 1);
        stats.Start(run: 1);
        stats.TryCount(Frame(1, 0, 1), Stamp(0));
        stats.Start(run: 2);

        Assert.Equal(default, stats.Counts());
        Assert.True(stats.TryCount(Frame(2, 0, 1), Stamp(0)));
        Assert.Equal(1, stats.Delivered);
    }

    private static long Stamp(long offset) => 1_000_000_000 + offset;

    private static byte[] Frame(int run, int sender, long sequence, long? sent = null)
    {
        var text = new byte[200];
        var length = MessageMarker.Write(text, new Marker(run, sender, sequence, sent ?? Stamp(0)), 64);
        return Encoding.ASCII.GetBytes("[12:00:00] bench0001: " + Encoding.ASCII.GetString(text, 0, length));
    }
}
