namespace ChatWeb.Server.Chat;

/// <summary>
/// The connections one transport owns, by member id, in the transport's own type. A connection is added before it
/// joins and is in the room from its own join event on: a transport's subscriber marks it there, so it gets exactly
/// the events after its join's position. Fan-out reads <see cref="InRoom"/>, a snapshot made again only after a change.
/// </summary>
public sealed class RoomMembers<T> where T : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Member> _byId = [];
    private Member[]? _inRoom = [];

    /// <summary>A connection and, once it joined, the user and the position of its join.</summary>
    public sealed class Member(T connection)
    {
        public T Connection => connection;
        public string UserName { get; internal set; } = "";
        /// <summary>The position of its join event; 0 while it is not in the room.</summary>
        public long JoinedAt { get; internal set; }
    }

    /// <summary>Every connection in the room, for fan-out. Read by the subscriber's thread.</summary>
    public ReadOnlySpan<Member> InRoom => Volatile.Read(ref _inRoom) ?? Snapshot();

    /// <summary>Every connection, in the room or still on its way in.</summary>
    public IReadOnlyList<T> All
    {
        get
        {
            lock (_gate) return [.. _byId.Values.Select(m => m.Connection)];
        }
    }

    /// <summary>Adds a connection that is about to join, under the member id it joins with.</summary>
    public void Add(string memberId, T connection)
    {
        lock (_gate) _byId.Add(memberId, new Member(connection));
    }

    /// <summary>Forgets a connection that has ended (after its leave, or when it never joined).</summary>
    public void Remove(string memberId)
    {
        lock (_gate)
        {
            if (_byId.Remove(memberId, out var member) && member.JoinedAt > 0) _inRoom = null;
        }
    }

    /// <summary>For the subscriber, at a join event: the member is in the room from <paramref name="position"/> on. Null when the connection is not this transport's.</summary>
    public Member? Joined(RoomMember joined, long position)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(joined.Id, out var member)) return null;
            member.UserName = joined.UserName;
            member.JoinedAt = position;
            _inRoom = null;
            return member;
        }
    }

    /// <summary>For the subscriber, at a leave event: the member gets nothing more.</summary>
    public void Left(RoomMember left)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(left.Id, out var member) || member.JoinedAt == 0) return;
            member.JoinedAt = 0;
            _inRoom = null;
        }
    }

    private Member[] Snapshot()
    {
        lock (_gate)
        {
            return _inRoom ??= [.. _byId.Values.Where(m => m.JoinedAt > 0)];
        }
    }
}
