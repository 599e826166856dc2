namespace ChatWeb.Server.Chat;

/// <summary>
/// A connection in the room, as the room knows it: an id unique among live connections, the user, and how
/// they came in. The transport keeps the connection itself; the room keeps only this.
/// </summary>
public sealed record RoomMember(string Id, string UserName, MessageSource Via);

/// <summary>What a joining connection starts from: the history up to <see cref="Position"/>, who was online there, and every event after it.</summary>
public sealed record RoomJoin(long Position, IReadOnlyList<ChatMessage> Recent, IReadOnlyList<OnlineUser> Online);

/// <summary>One event of the room's stream with its place in it. Positions count every event; message ids count messages only.</summary>
public readonly record struct StreamEvent(long Position, RoomEvent Event);

/// <summary>Something every transport may have to act on, in the room's one order.</summary>
public abstract record RoomEvent;

/// <summary>A stored message. <paramref name="FromMemberId"/> is the connection that posted it, so its transport can skip the echo.</summary>
public sealed record MessagePosted(ChatMessage Message, string? FromMemberId) : RoomEvent;

/// <summary>A connection joined; <paramref name="FirstOfUser"/> when the user just came online (their other connections are not new).</summary>
public sealed record MemberJoined(RoomMember Member, OnlineUser User, bool FirstOfUser) : RoomEvent;

/// <summary>A connection left; <paramref name="LastOfUser"/> when the user just went offline.</summary>
public sealed record MemberLeft(RoomMember Member, OnlineUser User, bool LastOfUser) : RoomEvent;

/// <summary>A server notice for everybody (pause, resume, shutdown).</summary>
public sealed record NoticePosted(Notice Notice) : RoomEvent;

/// <summary>The room closes: every connection is told why and closed. Nothing joins after it.</summary>
public sealed record RoomClosing(string Reason) : RoomEvent;

/// <summary>An event addressed to one user: only their connections act on it, whichever transport holds them.</summary>
public abstract record UserEvent(string UserName) : RoomEvent;

/// <summary>Close every connection of the user, telling each why (kick, account removed, password reset, rights changed).</summary>
public sealed record UserClosed(string UserName, string Reason) : UserEvent(UserName);
