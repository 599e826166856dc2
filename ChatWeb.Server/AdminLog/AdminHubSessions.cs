using System.Collections.Concurrent;
using ChatWeb.Server.Accounts;
using Microsoft.AspNetCore.SignalR;

namespace ChatWeb.Server.AdminLog;

/// <summary>
/// The open <see cref="AdminHub"/> connections, as a session channel: when an admin's sessions end (password
/// changed or reset, demoted, deleted) their log stream is cut at once instead of living on until they leave.
/// </summary>
public sealed class AdminHubSessions : ISessionChannel
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);

    internal void Add(HubCallerContext connection) => _connections[connection.ConnectionId] = connection;

    internal void Remove(HubCallerContext connection) => _connections.TryRemove(connection.ConnectionId, out _);

    public Task<int> EndSessionsAsync(string userName, string reason)
    {
        var closed = 0;
        foreach (var connection in _connections.Values)
        {
            if (!string.Equals(connection.User?.Identity?.Name, userName, StringComparison.OrdinalIgnoreCase)) continue;
            // The log page's client reconnects and is refused; SignalR has no close reason to give an aborted connection.
            connection.Abort();
            closed++;
        }
        return Task.FromResult(closed);
    }
}
