using ChatWeb.Server.Chat;
using Microsoft.AspNetCore.SignalR;

namespace ChatWeb.Server.Hubs;

/// <summary>
/// The chat hub's reader of the room's stream, and the list of its connections. The events of a commit are
/// serialized once, and every hub connection in the room gets them in one write: SignalR's group send would make
/// one write, one flush and one wake-up per event per connection. Nothing here waits for a client; a connection
/// that does not read is cut off by <see cref="HubChatConnection"/>.
/// </summary>
internal sealed class HubFanOut(IRoomStream stream, IHubProtocolResolver protocols) : RoomSubscriber(stream)
{
    private readonly HubFrameBatch _batch = new(protocols);
    // Where in the batch each connection that joined during it starts: after its own join.
    private readonly Dictionary<long, int> _joinedAt = [];
    private readonly List<(HubChatConnection Connection, string Reason, bool MayReconnect)> _closing = [];

    /// <summary>Every chat hub connection from connect to disconnect; those in the room get its events.</summary>
    public RoomMembers<HubChatConnection> Connections { get; } = new();

    public override void OnEvents(ReadOnlySpan<StreamEvent> events)
    {
        foreach (var (position, @event) in events)
        {
            switch (@event)
            {
                case MessagePosted posted:
                    // The sender's own message is included: the page shows a line when the room has it, not when it was typed.
                    _batch.Add(nameof(IChatClient.Message), posted.Message);
                    break;
                case MemberJoined joined:
                    if (joined.FirstOfUser) _batch.Add(nameof(IChatClient.UserJoined), joined.User);
                    if (Connections.Joined(joined.Member, position) is not null) _joinedAt[position] = _batch.Count;
                    break;
                case MemberLeft left:
                    Connections.Left(left.Member);
                    if (left.LastOfUser) _batch.Add(nameof(IChatClient.UserLeft), left.User);
                    break;
                case NoticePosted notice:
                    _batch.Add(nameof(IChatClient.Notice), notice.Notice);
                    break;
                case UserClosed closed:
                    CloseWhere(closed.UserName, closed.Reason, mayReconnect: false);
                    break;
                case RoomClosing closing:
                    // The server is stopping, not throwing anybody out: clients may come back to the next one.
                    CloseWhere(userName: null, closing.Reason, mayReconnect: true);
                    break;
            }
        }
        Deliver(events[0].Position);
        foreach (var (connection, reason, mayReconnect) in _closing) _ = Task.Run(() => connection.CloseAsync(reason, mayReconnect));
        _closing.Clear();
    }

    private void Deliver(long firstPosition)
    {
        var count = _batch.Count;
        if (count > 0)
        {
            var whole = _batch.From(0);
            foreach (var member in Connections.InRoom)
            {
                if (member.JoinedAt < firstPosition)
                {
                    member.Connection.Deliver(whole, count);
                    continue;
                }
                // Joined during this commit: only what came after its own join.
                var first = _joinedAt[member.JoinedAt];
                if (first < count) member.Connection.Deliver(_batch.From(first), count - first);
            }
        }
        _batch.Clear();
        _joinedAt.Clear();
    }

    private void CloseWhere(string? userName, string reason, bool mayReconnect)
    {
        foreach (var member in Connections.InRoom)
        {
            if (userName is null || string.Equals(member.UserName, userName, StringComparison.OrdinalIgnoreCase))
                _closing.Add((member.Connection, reason, mayReconnect));
        }
    }
}
