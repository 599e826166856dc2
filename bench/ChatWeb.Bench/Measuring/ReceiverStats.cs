namespace ChatWeb.Bench.Measuring;

/// <summary>What one receiver counted in a run.</summary>
internal readonly record struct ReceivedCounts(long Delivered, long Duplicates, long OutOfOrder, long Strays);

/// <summary>
/// What one client received during one run: the latency of every benchmark message, and per sender which
/// numbers arrived. Frames of another run (late arrivals of the previous one, history on join) are strays.
/// </summary>
internal sealed class ReceiverStats(int senders)
{
    private readonly SequenceTracker[] _bySender = CreateTrackers(senders);
    private readonly Lock _gate = new();
    private readonly LatencyHistogram _latency = new();
    private int _run = -1;
    private long _delivered;
    private long _duplicates;
    private long _outOfOrder;
    private long _strays;

    /// <summary>Distinct benchmark messages of the current run; read while the run goes on to see when all have arrived.</summary>
    public long Delivered => Volatile.Read(ref _delivered);

    /// <summary>The counts so far; safe while frames are still arriving.</summary>
    public ReceivedCounts Counts()
    {
        lock (_gate) return new ReceivedCounts(_delivered, _duplicates, _outOfOrder, _strays);
    }

    /// <summary>Adds this receiver's latencies to a run's total.</summary>
    public void AddLatencyTo(LatencyHistogram total)
    {
        lock (_gate) total.Add(_latency);
    }

    /// <summary>Forgets everything and starts counting the messages of <paramref name="run"/>.</summary>
    public void Start(int run)
    {
        lock (_gate)
        {
            foreach (var tracker in _bySender) tracker.Clear();
            _latency.Clear();
            _duplicates = _outOfOrder = _strays = 0;
            Volatile.Write(ref _delivered, 0);
            _run = run;
        }
    }

    /// <summary>Counts a frame if it carries a benchmark message; false when it carries none.</summary>
    public bool TryCount(ReadOnlySpan<byte> frame, long receivedTimestamp)
    {
        if (!MessageMarker.TryFind(frame, out var marker)) return false;
        lock (_gate)
        {
            if (marker.Run != _run || (uint)marker.Sender >= (uint)_bySender.Length)
            {
                _strays++;
                return true;
            }
            switch (_bySender[marker.Sender].Observe(marker.Sequence))
            {
                case Arrival.Invalid:
                    _strays++;
                    return true;
                case Arrival.Duplicate:
                    _duplicates++;
                    return true;
                case Arrival.OutOfOrder:
                    _outOfOrder++;
                    break;
            }
            _latency.Record(LatencyClock.Microseconds(receivedTimestamp - marker.SentTimestamp));
            Volatile.Write(ref _delivered, _delivered + 1);
        }
        return true;
    }

    private static SequenceTracker[] CreateTrackers(int count)
    {
        var trackers = new SequenceTracker[count];
        for (var i = 0; i < count; i++) trackers[i] = new SequenceTracker();
        return trackers;
    }
}
