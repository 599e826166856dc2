using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Hubs;

/// <summary>What the server calls on a browser (or any SignalR client) in the room.</summary>
public interface IChatClient
{
    Task History(IReadOnlyList<ChatMessage> messages);
    Task Users(IReadOnlyList<OnlineUser> users);
    Task Message(ChatMessage message);
    Task UserJoined(OnlineUser user);
    Task UserLeft(OnlineUser user);
    Task Notice(Notice notice);
}
