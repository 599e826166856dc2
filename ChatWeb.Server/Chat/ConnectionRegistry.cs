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
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<IChatConnection>> _byUser = new(StringComparer.OrdinalIgnoreCase);
    private IChatConnection[]? _snapshot = [];

    public ImmutableArray<IChatConnection> Connections =>
        ImmutableCollectionsMarshal.AsImmutableArray(Volatile.Read(ref _snapshot) ?? TakeSnapshot());

    /// <summary>Adds a connection; true when it is the user's first (the user just came online).</summary>
    internal bool Add(IChatConnection connection)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(connection.UserName, out var connections))
                _byUser[connection.UserName] = connections = [];
            connections.Add(connection);
            _snapshot = null;
            return connections.Count == 1;
        }
    }

    /// <summary>Removes a connection; true when it was the user's last (the user just went offline).</summary>
    internal bool Remove(IChatConnection connection)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(connection.UserName, out var connections) || !connections.Remove(connection)) return false;
            _snapshot = null;
            if (connections.Count > 0) return false;
            _byUser.Remove(connection.UserName);
            return true;
        }
    }

    public IReadOnlyList<IChatConnection> ConnectionsOf(string userName)
    {
        lock (_gate) return _byUser.TryGetValue(userName, out var connections) ? [.. connections] : [];
    }

    public bool IsOnline(string userName)
    {
        lock (_gate) return _byUser.ContainsKey(userName);
    }

    public OnlineUser? Find(string userName)
    {
        lock (_gate) return _byUser.TryGetValue(userName, out var connections) ? OnlineUserOf(connections) : null;
    }

    /// <summary>Who is online, by name, each with the transports they use.</summary>
    public IReadOnlyList<OnlineUser> Online()
    {
        lock (_gate)
        {
            return _byUser.Values
                .Select(OnlineUserOf)
                .OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase)
                .ToList();
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
            return _snapshot ??= [.. _byUser.Values.SelectMany(connections => connections)];
        }
    }

    // The name as the user's first connection spelled it.
    private static OnlineUser OnlineUserOf(List<IChatConnection> connections) =>
        new(connections[0].UserName, connections.Select(c => c.Transport).Distinct().Order().ToList());
}
