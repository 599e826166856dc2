namespace ChatWeb.Server.Chat;

/// <summary>
/// A transport's fan-out, called by the room's dispatcher in the room's one order.
/// Implementations must not block or await a client: queue and return.
/// </summary>
public interface IRoomObserver
{
    /// <param name="originConnectionId">The connection that posted it, so a transport can skip echoing it back.</param>
    void OnMessage(ChatMessage message, string? originConnectionId);

    void OnUserJoined(OnlineUser user);

    void OnUserLeft(OnlineUser user);

    void OnNotice(Notice notice);

    /// <summary>
    /// The dispatcher has handed over every event it had for now: a transport that queues per connection
    /// sends now, so that one batch of events costs one write per connection. Must not wait either.
    /// </summary>
    void Flush();
}
