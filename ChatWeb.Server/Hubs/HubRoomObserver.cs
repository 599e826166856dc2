using ChatWeb.Server.Chat;
using Microsoft.AspNetCore.SignalR;

namespace ChatWeb.Server.Hubs;

/// <summary>
/// Fans the room out to every hub connection with one group send per event: SignalR serializes the
/// message once per protocol and queues it on each connection without the room waiting.
/// </summary>
internal sealed partial class HubRoomObserver(IHubContext<ChatHub, IChatClient> hub, ILogger<HubRoomObserver> logger) : IRoomObserver
{
    private IChatClient Room => hub.Clients.Group(ChatHub.RoomGroup);

    public void OnMessage(ChatMessage message, string? originConnectionId) => Observe(Room.Message(message));
    public void OnUserJoined(OnlineUser user) => Observe(Room.UserJoined(user));
    public void OnUserLeft(OnlineUser user) => Observe(Room.UserLeft(user));
    public void OnNotice(Notice notice) => Observe(Room.Notice(notice));

    // SignalR hands each message to each connection's own pipe as it is sent: nothing waits here for a flush.
    public void Flush()
    {
    }

    private void Observe(Task send)
    {
        if (send.IsCompletedSuccessfully) return;
        send.ContinueWith(t => LogSendFailed(logger, t.Exception!), TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    [LoggerMessage(LogLevel.Warning, "Sending to hub connections failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);
}
