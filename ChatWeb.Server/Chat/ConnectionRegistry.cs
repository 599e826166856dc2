using System.Collections.Immutable;

namespace ChatWeb.Server.Chat;

/// <summary>
/// Every live connection of every transport. Presence is derived from it: a user is online while
/// they have at least one connection, whatever it is. Readers get an immutable snapshot, so fan-out
/// iterates without a lock.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly Lock _gate = new();
    private ImmutableArray<IChatConnection> _connections = [];

    public ImmutableArray<IChatConnection> Connections => _connections;

    /// <summary>Adds a connection; true when it is the user's first (the user just came online).</summary>
    internal bool Add(IChatConnection connection)
    {
        lock (_gate)
        {
            var first = !_connections.Any(c => SameUser(c.UserName, connection.UserName));
            _connections = _connections.Add(connection);
            return first;
        }
    }

    /// <summary>Removes a connection; true when it was the user's last (the user just went offline).</summary>
    internal bool Remove(IChatConnection connection)
    {
        lock (_gate)
        {
            var before = _connections.Length;
            _connections = _connections.Remove(connection);
            return before != _connections.Length
                && !_connections.Any(c => SameUser(c.UserName, connection.UserName));
        }
    }

    public IReadOnlyList<IChatConnection> ConnectionsOf(string userName) =>
        _connections.Where(c => SameUser(c.UserName, userName)).ToList();

    public bool IsOnline(string userName) => _connections.Any(c => SameUser(c.UserName, userName));

    public OnlineUser? Find(string userName)
    {
        var transports = TransportsOf(_connections, userName);
        return transports.Count == 0 ? null : new OnlineUser(_connections.First(c => SameUser(c.UserName, userName)).UserName, transports);
    }

    /// <summary>Who is online, by name, each with the transports they use.</summary>
    public IReadOnlyList<OnlineUser> Online()
    {
        var snapshot = _connections;
        return snapshot
            .GroupBy(c => c.UserName, StringComparer.OrdinalIgnoreCase)
            .Select(g => new OnlineUser(g.First().UserName, TransportsOf(snapshot, g.Key)))
            .OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Closes every connection of a user, telling each why.</summary>
    public Task<int> CloseUserAsync(string userName, string reason) => CloseAsync(ConnectionsOf(userName), reason);

    /// <summary>Closes every connection whose user matches, telling each why.</summary>
    public Task<int> CloseWhereAsync(Func<IChatConnection, bool> predicate, string reason) =>
        CloseAsync(_connections.Where(predicate).ToList(), reason);

    private static async Task<int> CloseAsync(IReadOnlyList<IChatConnection> connections, string reason)
    {
        await Task.WhenAll(connections.Select(c => c.CloseAsync(reason)));
        return connections.Count;
    }

    private static List<Transport> TransportsOf(ImmutableArray<IChatConnection> snapshot, string userName) =>
        snapshot.Where(c => SameUser(c.UserName, userName)).Select(c => c.Transport).Distinct().Order().ToList();

    private static bool SameUser(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
