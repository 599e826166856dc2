using ChatWeb.Server.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ChatWeb.Server.AdminLog;

public interface IAdminClient
{
    Task LogEntry(LogEntry entry);
}

/// <summary>
/// Admins only, by cookie only (the Admin policy): streams new log entries to the log page as they are written.
/// Each connection is known to <see cref="AdminHubSessions"/>, so it closes the moment its account's sessions end.
/// </summary>
[Authorize(Policy = AccountRoles.Admin)]
public sealed class AdminHub(LiveLog log, AdminHubSessions sessions, AccountSessions accounts) : Hub<IAdminClient>
{
    public const string Path = "/hubs/admin";

    public override Task OnConnectedAsync()
    {
        log.AddWatcher();
        sessions.Add(Context);
        // Checked again once registered: a revocation from now on finds this connection, and one that happened
        // after the request was authorized, before the registration, is caught here.
        if (!accounts.HasCurrentRights(Context.User!)) Context.Abort();
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context);
        log.RemoveWatcher();
        return Task.CompletedTask;
    }
}
