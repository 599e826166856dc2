using ChatWeb.Server.Accounts;
using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Control;

/// <summary>
/// The room as one session channel: closing a user there closes their connections on every transport. Lives in
/// Control because Chat knows nothing of accounts and Accounts nothing of the room.
/// </summary>
internal sealed class RoomSessionChannel(ChatRoom room) : ISessionChannel
{
    public Task<int> EndSessionsAsync(string userName, string reason) => room.CloseUserAsync(userName, reason);
}
