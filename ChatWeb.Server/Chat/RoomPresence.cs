namespace ChatWeb.Server.Chat;

/// <summary>
/// Who is online, derived from the stream's joins and leaves: a user is online while they have at least one
/// connection in the room, whatever transport holds it. Changed by the sequencer only, in stream order; read by anyone.
/// <para>
/// Each user's <see cref="OnlineUser"/> is made when their connections change, and the list stays sorted by name, so
/// the who-is-online list every joining web client gets is a copy of references, not a user-by-user rebuild.
/// </para>
/// </summary>
public sealed class RoomPresence
{
    // Every set of transports a user can be on, made once and shared (index: a bit per transport).
    private static readonly MessageSource[] Transports = [MessageSource.Web, MessageSource.Tcp];
    private static readonly IReadOnlyList<MessageSource>[] TransportSets =
        [.. Enumerable.Range(0, 1 << Transports.Length).Select(mask => (IReadOnlyList<MessageSource>)Transports.Where(t => (mask & Bit(t)) != 0).ToArray())];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserMembers> _byUser = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedList<string, OnlineUser> _online = new(StringComparer.OrdinalIgnoreCase);
    private OnlineUser[]? _onlineSnapshot = [];
    // Who waits for a user (or, with a null name, everybody) to be gone; rare, so a list.
    private readonly List<(string? UserName, TaskCompletionSource Gone)> _waiters = [];

    private sealed class UserMembers
    {
        public List<RoomMember> Members { get; } = [];
        public OnlineUser Presence { get; set; } = null!;
    }

    /// <summary>Adds a member: the user as they are now, and whether this is their first connection (they just came online).</summary>
    public (OnlineUser User, bool First) Add(RoomMember member)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(member.UserName, out var user))
                _byUser[member.UserName] = user = new UserMembers();
            user.Members.Add(member);
            UpdatePresence(user);
            return (user.Presence, user.Members.Count == 1);
        }
    }

    /// <summary>Removes a member: null when it was not in the room; otherwise the user as they were, and whether this was their last connection.</summary>
    public (OnlineUser User, bool Last)? Remove(RoomMember member)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(member.UserName, out var user) || !user.Members.Remove(member)) return null;
            if (user.Members.Count > 0)
            {
                UpdatePresence(user);
                return (user.Presence, false);
            }
            _byUser.Remove(member.UserName);
            _online.Remove(user.Presence.UserName);
            _onlineSnapshot = null;
            if (_waiters.Count > 0) ReleaseWaiters();
            return (new OnlineUser(user.Presence.UserName, []), true);
        }
    }

    public int ConnectionsOf(string userName)
    {
        lock (_gate) return _byUser.TryGetValue(userName, out var user) ? user.Members.Count : 0;
    }

    /// <summary>
    /// Waits until the user (or, for null, everybody) has no connection left in the room, or the time is up; true when
    /// they are gone. A wait that times out is forgotten, so waiting on somebody who stays costs nothing afterwards.
    /// </summary>
    public async Task<bool> WhenGoneAsync(string? userName, TimeSpan timeout)
    {
        TaskCompletionSource gone;
        lock (_gate)
        {
            if (userName is null ? _byUser.Count == 0 : !_byUser.ContainsKey(userName)) return true;
            gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((userName, gone));
        }
        try
        {
            await gone.Task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            lock (_gate) _waiters.RemoveAll(waiter => ReferenceEquals(waiter.Gone, gone));
            return false;
        }
    }

    /// <summary>How many waits for somebody to be gone are pending.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _waiters.Count;
        }
    }

    /// <summary>Under the lock: completes the waits that are over.</summary>
    private void ReleaseWaiters()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var (userName, gone) = _waiters[i];
            if (userName is null ? _byUser.Count > 0 : _byUser.ContainsKey(userName)) continue;
            gone.TrySetResult();
            _waiters.RemoveAt(i);
        }
    }

    /// <summary>Who is online, by name, each with the transports they use.</summary>
    public IReadOnlyList<OnlineUser> Online()
    {
        lock (_gate)
        {
            if (_onlineSnapshot is null)
            {
                _onlineSnapshot = new OnlineUser[_online.Count];
                _online.Values.CopyTo(_onlineSnapshot, 0);
            }
            return _onlineSnapshot;
        }
    }

    /// <summary>Under the lock: a new presence for the user when their name (as their first connection spells it) or transports changed.</summary>
    private void UpdatePresence(UserMembers user)
    {
        var mask = 0;
        foreach (var member in user.Members) mask |= Bit(member.Via);
        var name = user.Members[0].UserName;
        if (user.Presence is { } current && current.UserName == name && ReferenceEquals(current.Transports, TransportSets[mask])) return;

        if (user.Presence is { } old) _online.Remove(old.UserName);
        user.Presence = new OnlineUser(name, TransportSets[mask]);
        _online.Add(name, user.Presence);
        _onlineSnapshot = null;
    }

    private static int Bit(MessageSource transport) => transport switch
    {
        MessageSource.Web => 1,
        MessageSource.Tcp => 2,
        _ => 0,
    };
}
