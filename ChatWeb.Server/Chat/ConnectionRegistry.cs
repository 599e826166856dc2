using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace ChatWeb.Server.Chat;

/// <summary>
/// Every live connection of every transport. Presence is derived from it: a user is online while
/// they have at least one connection, whatever it is. Readers get an immutable snapshot, so fan-out
/// iterates without a lock.
/// <para>
/// Connections are kept per user, so a join or a leave costs the same however many are connected. The
/// snapshot is built when somebody asks for it after a change: a storm of joins, which the dispatcher
/// handles in batches, copies the list once per batch instead of once per join.
/// </para>
/// <para>
/// Presence is kept up to date the same way: each user's <see cref="OnlineUser"/> is made when their
/// transports change, and the list stays sorted by name, so the who-is-online list every web client gets on
/// joining is a copy of references, not a user-by-user rebuild (which made a storm of web joins quadratic).
/// </para>
/// </summary>
public sealed class ConnectionRegistry
{
    // Every set of transports a user can be on, made once and shared (index: a bit per transport).
    private static readonly IReadOnlyList<Transport>[] TransportSets =
        [.. Enumerable.Range(0, 1 << Enum.GetValues<Transport>().Length)
            .Select(mask => (IReadOnlyList<Transport>)Enum.GetValues<Transport>().Where(t => (mask & Bit(t)) != 0).Order().ToArray())];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserConnections> _byUser = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedList<string, OnlineUser> _online = new(StringComparer.OrdinalIgnoreCase);
    private IChatConnection[]? _snapshot = [];
    private OnlineUser[]? _onlineSnapshot = [];

    private sealed class UserConnections
    {
        public List<IChatConnection> Connections { get; } = [];
        public OnlineUser Presence { get; set; } = null!;
    }

    public ImmutableArray<IChatConnection> Connections =>
        ImmutableCollectionsMarshal.AsImmutableArray(Volatile.Read(ref _snapshot) ?? TakeSnapshot());

    /// <summary>Adds a connection; true when it is the user's first (the user just came online).</summary>
    internal bool Add(IChatConnection connection)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(connection.UserName, out var user))
                _byUser[connection.UserName] = user = new UserConnections();
            user.Connections.Add(connection);
            _snapshot = null;
            UpdatePresence(user);
            return user.Connections.Count == 1;
        }
    }

    /// <summary>Removes a connection; true when it was the user's last (the user just went offline).</summary>
    internal bool Remove(IChatConnection connection)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(connection.UserName, out var user) || !user.Connections.Remove(connection)) return false;
            _snapshot = null;
            if (user.Connections.Count > 0)
            {
                UpdatePresence(user);
                return false;
            }
            _byUser.Remove(connection.UserName);
            _online.Remove(user.Presence.UserName);
            _onlineSnapshot = null;
            return true;
        }
    }

    public IReadOnlyList<IChatConnection> ConnectionsOf(string userName)
    {
        lock (_gate) return _byUser.TryGetValue(userName, out var user) ? [.. user.Connections] : [];
    }

    public bool IsOnline(string userName)
    {
        lock (_gate) return _byUser.ContainsKey(userName);
    }

    public OnlineUser? Find(string userName)
    {
        lock (_gate) return _byUser.TryGetValue(userName, out var user) ? user.Presence : null;
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

    /// <summary>Closes every connection of a user, telling each why.</summary>
    public Task<int> CloseUserAsync(string userName, string reason) => CloseAsync(ConnectionsOf(userName), reason);

    /// <summary>Closes every connection whose user matches, telling each why.</summary>
    public Task<int> CloseWhereAsync(Func<IChatConnection, bool> predicate, string reason) =>
        CloseAsync(Connections.Where(predicate).ToList(), reason);

    private static async Task<int> CloseAsync(IReadOnlyList<IChatConnection> connections, string reason)
    {
        await Task.WhenAll(connections.Select(c => c.CloseAsync(reason)));
        return connections.Count;
    }

    private IChatConnection[] TakeSnapshot()
    {
        lock (_gate)
        {
            return _snapshot ??= [.. _byUser.Values.SelectMany(user => user.Connections)];
        }
    }

    /// <summary>Under the lock: a new presence for the user when their name (as their first connection spells it) or transports changed.</summary>
    private void UpdatePresence(UserConnections user)
    {
        var mask = 0;
        foreach (var connection in user.Connections) mask |= Bit(connection.Transport);
        var name = user.Connections[0].UserName;
        if (user.Presence is { } current && current.UserName == name && ReferenceEquals(current.Transports, TransportSets[mask])) return;

        if (user.Presence is { } old) _online.Remove(old.UserName);
        user.Presence = new OnlineUser(name, TransportSets[mask]);
        _online.Add(name, user.Presence);
        _onlineSnapshot = null;
    }

    private static int Bit(Transport transport) => 1 << (int)transport;
}
