namespace ChatWeb.Server.Chat;

/// <summary>One turn of the sequencer: the messages it stores and the events it publishes, reused from turn to turn.</summary>
internal sealed class RoomCommit(int capacity)
{
    private StreamEvent[] _events = new StreamEvent[capacity];
    private int _count;
    private long _nextPosition;

    public List<ChatMessage> Messages { get; } = new(capacity);

    public ReadOnlySpan<StreamEvent> Events => _events.AsSpan(0, _count);

    /// <summary>Starts numbering the turn's events at <paramref name="nextPosition"/>.</summary>
    public void Start(long nextPosition) => _nextPosition = nextPosition;

    /// <summary>Adds the event at the next position, which it returns.</summary>
    public long Add(RoomEvent @event)
    {
        if (_count == _events.Length) Array.Resize(ref _events, _events.Length * 2);
        var position = _nextPosition++;
        _events[_count++] = new StreamEvent(position, @event);
        return position;
    }

    public void Clear()
    {
        // Cleared, so that the turn's messages and members are not kept alive until the next busy moment.
        Array.Clear(_events, 0, _count);
        _count = 0;
        Messages.Clear();
    }
}
