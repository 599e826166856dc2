namespace ChatWeb.Server.Chat;

/// <summary>Where a message came from, and how a connection reaches the room. Serialized as <c>web</c>, <c>tcp</c> or <c>system</c>.</summary>
public enum MessageSource { Web, Tcp, System }

/// <summary>One stored chat line. <see cref="SentAt"/> is UTC, truncated to milliseconds so it round-trips through the history file.</summary>
public sealed record ChatMessage(long Id, string User, string Text, DateTime SentAt, MessageSource Source);

/// <summary>A user who is online, with every transport they are connected by.</summary>
public sealed record OnlineUser(string UserName, IReadOnlyList<MessageSource> Transports);

public enum NoticeLevel { Info, Warning, Error }

/// <summary>A server notice shown to users: pause, shutdown, kicked, account wiped.</summary>
public sealed record Notice(NoticeLevel Level, string Text);
