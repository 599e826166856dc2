namespace ChatWeb.Server.Chat;

/// <summary>
/// The one place where the room's events get their order: a message gets its id and is stored before anyone sees
/// it, and every event is then handed to the stream (<see cref="IRoomStream"/>) at its position. Callers are told
/// once their event is in the stream. It takes no decisions about who may post what: <see cref="ChatRoom"/> does.
/// </summary>
public interface IRoomSequencer
{
    /// <summary>False while the last history write failed: posts are refused until one works again.</summary>
    bool IsStorageHealthy { get; }

    /// <summary>Stores the text as a message of <paramref name="from"/> and publishes it; a refusal when it could not be stored or the room is closed.</summary>
    Task<PostResult> PostAsync(RoomMember from, string text, CancellationToken cancellationToken);

    /// <summary>Publishes the member's join; the answer holds the history and presence at the join's position.</summary>
    Task<RoomJoin> JoinAsync(RoomMember member, CancellationToken cancellationToken);

    /// <summary>Publishes the member's leave; nothing when it is not in the room (or the room is closed).</summary>
    Task LeaveAsync(RoomMember member);

    /// <summary>Publishes an event that has no message in it (a notice, a close); false when the room is already closed.</summary>
    Task<bool> PublishAsync(RoomEvent @event);
}
