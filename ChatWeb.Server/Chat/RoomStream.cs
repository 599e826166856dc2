namespace ChatWeb.Server.Chat;

/// <summary>
/// The room's stream inside one process: the sequencer publishes each commit, every subscriber gets it at once on
/// the sequencer's thread. The last <see cref="Retained"/> events are kept, so a subscriber can start from a
/// position a little in the past (a transport that restarts its fan-out) without a gap.
/// </summary>
public sealed partial class RoomStream(ILogger<RoomStream> logger) : IRoomStream
{
    public const int Retained = 4096;

    private readonly Lock _gate = new();
    private readonly StreamEvent[] _ring = new StreamEvent[Retained];
    private IRoomSubscriber[] _subscribers = [];
    private long _position;

    public long Position => Volatile.Read(ref _position);

    public IDisposable Subscribe(IRoomSubscriber subscriber, long fromPosition)
    {
        lock (_gate)
        {
            var oldestKept = Math.Max(1, _position - Retained + 1);
            if (fromPosition < oldestKept - 1 || fromPosition > _position)
                throw new ArgumentOutOfRangeException(nameof(fromPosition), fromPosition, $"the stream keeps positions {oldestKept} to {_position}");
            // Replayed under the lock, so no commit can slip in between the replay and the subscription.
            if (fromPosition < _position)
            {
                var missed = new StreamEvent[_position - fromPosition];
                for (var p = fromPosition + 1; p <= _position; p++) missed[p - fromPosition - 1] = _ring[p % Retained];
                Deliver(subscriber, missed);
            }
            _subscribers = [.. _subscribers, subscriber];
        }
        return new Subscription(this, subscriber);
    }

    /// <summary>The next position to hand out; for the sequencer, which numbers a commit before it publishes it.</summary>
    internal long NextPosition => _position + 1;

    /// <summary>Hands one commit to every subscriber. Called by the sequencer only, with positions following on from the last.</summary>
    internal void Publish(ReadOnlySpan<StreamEvent> events)
    {
        if (events.IsEmpty) return;
        IRoomSubscriber[] subscribers;
        lock (_gate)
        {
            foreach (var e in events) _ring[e.Position % Retained] = e;
            Volatile.Write(ref _position, events[^1].Position);
            subscribers = _subscribers;
        }
        // Outside the lock: a subscriber never waits, but it should not hold up a new subscription either.
        foreach (var subscriber in subscribers) Deliver(subscriber, events);
    }

    private void Deliver(IRoomSubscriber subscriber, ReadOnlySpan<StreamEvent> events)
    {
        try
        {
            subscriber.OnEvents(events);
        }
        catch (Exception ex)
        {
            // One broken transport must not stop the room for the others.
            LogSubscriberFailed(logger, subscriber.GetType().Name, ex);
        }
    }

    private void Unsubscribe(IRoomSubscriber subscriber)
    {
        lock (_gate) _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscriber))];
    }

    private sealed class Subscription(RoomStream stream, IRoomSubscriber subscriber) : IDisposable
    {
        public void Dispose() => stream.Unsubscribe(subscriber);
    }

    [LoggerMessage(LogLevel.Error, "Delivering the room's events to {Subscriber} failed")]
    private static partial void LogSubscriberFailed(ILogger logger, string subscriber, Exception exception);
}
