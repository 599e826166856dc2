using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Gateway;

/// <summary>
/// Fans the room out to TCP sessions: each event is formatted and encoded to UTF-8 once, and the same
/// bytes are queued on every session; at the end of the dispatcher's batch each session sends all it got
/// in one write. Neither waits; a session whose queue is full cuts itself off.
/// </summary>
internal sealed class GatewayRoomObserver(ConnectionRegistry registry, TimeProvider time) : IRoomObserver
{
    public void OnMessage(ChatMessage message, string? originConnectionId)
    {
        // The sender's own session is skipped: a TCP client already has the line it typed on screen.
        var line = WireText.Encode(WireText.Message(message, time.LocalTimeZone));
        // Once per message, so a plain loop over the snapshot: no enumerator or LINQ on the hot path.
        foreach (var connection in registry.Connections)
        {
            if (connection is GatewaySession session && session.Id != originConnectionId) session.Deliver(line);
        }
    }

    public void OnUserJoined(OnlineUser user)
    {
        // Nobody is told that they themselves joined.
        var line = WireText.Encode(WireText.Joined(user.UserName));
        foreach (var session in Sessions())
        {
            if (!string.Equals(session.UserName, user.UserName, StringComparison.OrdinalIgnoreCase)) session.Deliver(line);
        }
    }

    public void OnUserLeft(OnlineUser user) => DeliverToAll(WireText.Left(user.UserName));

    public void OnNotice(Notice notice) => DeliverToAll(WireText.Notice(notice));

    public void Flush()
    {
        foreach (var connection in registry.Connections)
        {
            if (connection is GatewaySession session) session.Flush();
        }
    }

    private void DeliverToAll(string text)
    {
        var line = WireText.Encode(text);
        foreach (var session in Sessions()) session.Deliver(line);
    }

    // The registry's snapshot: a session is in it from the point its history was taken, so it misses nothing and gets nothing twice.
    private IEnumerable<GatewaySession> Sessions() => registry.Connections.OfType<GatewaySession>();
}
