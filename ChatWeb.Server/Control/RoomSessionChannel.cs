using ChatWeb.Server.Accounts;
using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Control;

/// <summary>
/// The room's connections as one session channel: chat-hub and TCP connections both register in the room's
/// <see cref="ConnectionRegistry"/>, so closing a user there closes them on either transport. Lives in Control
/// because Chat knows nothing of accounts.
/// </summary>
internal sealed class RoomSessionChannel(ConnectionRegistry connections) : ISessionChannel
{
    public Task<int> EndSessionsAsync(string userName, string reason) => connections.CloseUserAsync(userName, reason);
}
