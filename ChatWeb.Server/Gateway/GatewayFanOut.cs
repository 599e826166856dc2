using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Gateway;

/// <summary>
/// The gateway's reader of the room's stream, and the list of its sessions. Each event is formatted and encoded
/// to UTF-8 once, and the same bytes are queued on every session in the room; at the end of the commit each
/// session sends all it got in one write. Neither waits; a session whose queue is full cuts itself off.
/// </summary>
internal sealed class GatewayFanOut(IRoomStream stream, TimeProvider time) : RoomSubscriber(stream)
{
    /// <summary>Every session from accept to close; those in the room get its events.</summary>
    public RoomMembers<GatewaySession> Sessions { get; } = new();

    public override void OnEvents(ReadOnlySpan<StreamEvent> events)
    {
        foreach (var (position, @event) in events)
        {
            switch (@event)
            {
                case MessagePosted posted:
                    Deliver(posted);
                    break;
                case MemberJoined joined:
                    Sessions.Joined(joined.Member, position);
                    // A user's second connection is not news, and nobody is told that they themselves joined.
                    if (joined.FirstOfUser) DeliverToAll(WireText.Joined(joined.User.UserName), except: joined.User.UserName);
                    break;
                case MemberLeft left:
                    Sessions.Left(left.Member);
                    if (left.LastOfUser) DeliverToAll(WireText.Left(left.User.UserName));
                    break;
                case NoticePosted notice:
                    DeliverToAll(WireText.Notice(notice.Notice));
                    break;
                case UserClosed closed:
                    CloseWhere(closed.UserName, closed.Reason);
                    break;
                case RoomClosing closing:
                    CloseWhere(userName: null, closing.Reason);
                    break;
            }
        }
        foreach (var member in Sessions.InRoom) member.Connection.Flush();
    }

    private void Deliver(MessagePosted posted)
    {
        var line = WireText.Encode(WireText.Message(posted.Message, time.LocalTimeZone));
        foreach (var member in Sessions.InRoom)
        {
            // The sender's own session is skipped: a TCP client already has the line it typed on screen.
            if (member.Connection.Id != posted.FromMemberId) member.Connection.Deliver(line);
        }
    }

    private void DeliverToAll(string text, string? except = null)
    {
        var line = WireText.Encode(text);
        foreach (var member in Sessions.InRoom)
        {
            if (except is null || !string.Equals(member.UserName, except, StringComparison.OrdinalIgnoreCase)) member.Connection.Deliver(line);
        }
    }

    /// <summary>Closes the user's sessions (every session for null) off this thread: a close waits for the session to end.</summary>
    private void CloseWhere(string? userName, string reason)
    {
        foreach (var member in Sessions.InRoom)
        {
            if (userName is null || string.Equals(member.UserName, userName, StringComparison.OrdinalIgnoreCase))
                _ = Task.Run(() => member.Connection.CloseAsync(reason));
        }
    }
}
