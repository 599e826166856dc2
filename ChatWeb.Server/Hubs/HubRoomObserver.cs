using ChatWeb.Server.Chat;
using Microsoft.AspNetCore.SignalR;

namespace ChatWeb.Server.Hubs;

/// <summary>
/// Fans the room out to hub connections as the gateway does to TCP sessions: the events of a dispatcher
/// batch are serialized once, and at the end of the batch every hub connection in the room gets them in
/// one write. SignalR's group send would make one write, one flush and one wake-up of the connection's
/// sender per event per connection, which under load cost the hub most of its throughput. Nothing here
/// waits for a client; a connection that does not read is cut off by <see cref="HubChatConnection"/>.
/// </summary>
internal sealed class HubRoomObserver(ConnectionRegistry registry, IHubProtocolResolver protocols) : IRoomObserver
{
    private readonly HubFrameBatch _batch = new(protocols);

    // The sender's own message is included: the page shows a line when the room has it, not when it was typed.
    public void OnMessage(ChatMessage message, string? originConnectionId) => _batch.Add(nameof(IChatClient.Message), message);
    public void OnUserJoined(OnlineUser user) => _batch.Add(nameof(IChatClient.UserJoined), user);
    public void OnUserLeft(OnlineUser user) => _batch.Add(nameof(IChatClient.UserLeft), user);
    public void OnNotice(Notice notice) => _batch.Add(nameof(IChatClient.Notice), notice);

    public void Flush()
    {
        if (_batch.Count == 0) return;
        var events = _batch.Count;
        // The registry's snapshot: a connection is in it from the point its history was taken, so it misses nothing.
        var connections = registry.Connections;
        SerializedHubMessage? frames = null;
        foreach (var connection in connections)
        {
            if (connection is HubChatConnection hubConnection) hubConnection.Deliver(frames ??= _batch.Take(), events);
        }
        // Nobody on the hub: the events are dropped unserialized.
        if (frames is null) _batch.Clear();
    }
}
