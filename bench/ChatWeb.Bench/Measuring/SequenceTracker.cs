namespace ChatWeb.Bench.Measuring;

/// <summary>How a numbered message arrived, as seen by one receiver.</summary>
internal enum Arrival
{
    /// <summary>Not a number the bench sends (outside 1..<see cref="SequenceTracker.MaxSequence"/>).</summary>
    Invalid,
    /// <summary>First time, after every lower number seen so far.</summary>
    InOrder,
    /// <summary>First time, but a higher number had already arrived.</summary>
    OutOfOrder,
    /// <summary>Seen before.</summary>
    Duplicate,
}

/// <summary>
/// Which of one sender's numbered messages (1, 2, 3, ...) one receiver has seen. A bit per number tells a
/// late message from a repeated one.
/// </summary>
internal sealed class SequenceTracker
{
    // A number past this is not one the bench sent (a corrupted line); it is refused, not remembered.
    internal const long MaxSequence = 1L << 30;

    private ulong[] _seen = new ulong[16];
    private long _highest;

    /// <summary>Distinct numbers seen.</summary>
    public long Unique { get; private set; }

    public Arrival Observe(long sequence)
    {
        if (sequence is < 1 or > MaxSequence) return Arrival.Invalid;
        var word = (int)(sequence >> 6);
        if (word >= _seen.Length) Array.Resize(ref _seen, Math.Max(word + 1, _seen.Length * 2));
        var bit = 1UL << (int)(sequence & 63);
        if ((_seen[word] & bit) != 0) return Arrival.Duplicate;
        _seen[word] |= bit;
        Unique++;
        if (sequence < _highest) return Arrival.OutOfOrder;
        _highest = sequence;
        return Arrival.InOrder;
    }

    public void Clear()
    {
        Array.Clear(_seen);
        _highest = 0;
        Unique = 0;
    }
}
