namespace ChatWeb.Server.Chat;

/// <summary>A reader of the room's stream: each transport is one, and delivers to the connections it owns.</summary>
public interface IRoomSubscriber
{
    /// <summary>
    /// The events of one commit, in stream order, with nothing missed or repeated since the last call. Called by one
    /// thread at a time. Must not wait for a client: queue, then make one write per connection for the whole batch.
    /// </summary>
    void OnEvents(ReadOnlySpan<StreamEvent> events);
}
