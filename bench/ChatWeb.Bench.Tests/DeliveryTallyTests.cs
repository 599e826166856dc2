using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Tests;

public sealed class DeliveryTallyTests
{
    [Fact]
    public void AReceiverThatGetsNoEchoIsNotOwedItsOwnMessages()
    {
        // Receivers 0 and 1 send (TCP, then hub); receiver 2 only listens.
        var expected = DeliveryTally.ExpectedPerReceiver([false, true, false], [5, 7]);

        Assert.Equal([7, 12, 12], expected);
    }

    [Fact]
    public void EveryReceiverIsOwedEverySenderWhenAllEcho() =>
        Assert.Equal([6, 6], DeliveryTally.ExpectedPerReceiver([true, true], [1, 2, 3]));

    [Fact]
    public void OneReceiverAheadOfItsCountDoesNotHideAnothersLoss()
    {
        var tally = DeliveryTally.Of([10, 10, 10],
        [
            new ReceivedCounts(Delivered: 12, Duplicates: 0, OutOfOrder: 0, Strays: 0),
            new ReceivedCounts(Delivered: 7, Duplicates: 2, OutOfOrder: 1, Strays: 0),
            new ReceivedCounts(Delivered: 10, Duplicates: 0, OutOfOrder: 0, Strays: 4),
        ]);

        Assert.Equal(new DeliveryTally(Expected: 30, Delivered: 29, Lost: 3, Duplicates: 2, OutOfOrder: 1, Strays: 4), tally);
    }

    [Fact]
    public void ExpectedAndReceivedCountsMustPairUp() =>
        Assert.Throws<ArgumentException>(() => DeliveryTally.Of([1, 2], [default]));
}
