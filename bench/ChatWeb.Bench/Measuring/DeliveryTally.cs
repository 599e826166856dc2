namespace ChatWeb.Bench.Measuring;

/// <summary>
/// Deliveries expected against deliveries received, over all the receivers of a room. Receiver i is client i,
/// which is also sender i when it sends: each is owed every message sent, less its own where the transport does
/// not echo them.
/// </summary>
internal readonly record struct DeliveryTally(long Expected, long Delivered, long Lost, long Duplicates, long OutOfOrder, long Strays)
{
    /// <summary>What each receiver is owed, given how many messages each sender has sent.</summary>
    public static long[] ExpectedPerReceiver(IReadOnlyList<bool> echoesOwn, IReadOnlyList<long> sentBySender)
    {
        var total = sentBySender.Sum();
        var expected = new long[echoesOwn.Count];
        for (var i = 0; i < expected.Length; i++)
        {
            var own = i < sentBySender.Count && !echoesOwn[i] ? sentBySender[i] : 0;
            expected[i] = total - own;
        }
        return expected;
    }

    /// <summary>
    /// Adds up the receivers. What a receiver is short counts as lost, receiver by receiver: one that is ahead of
    /// its count (a message that arrived before its sender's count went up, while a run is still going) never
    /// hides another's loss.
    /// </summary>
    public static DeliveryTally Of(IReadOnlyList<long> expected, IReadOnlyList<ReceivedCounts> received)
    {
        if (expected.Count != received.Count) throw new ArgumentException("one expected count per receiver");
        long delivered = 0, lost = 0, duplicates = 0, outOfOrder = 0, strays = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            var counts = received[i];
            delivered += counts.Delivered;
            lost += Math.Max(0, expected[i] - counts.Delivered);
            duplicates += counts.Duplicates;
            outOfOrder += counts.OutOfOrder;
            strays += counts.Strays;
        }
        return new DeliveryTally(expected.Sum(), delivered, lost, duplicates, outOfOrder, strays);
    }
}
