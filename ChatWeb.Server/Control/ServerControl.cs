using ChatWeb.Server.Accounts;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Control;

/// <summary>
/// The operator's actions on the room and on the process, for every surface (the admin pages, the server console,
/// the tests). It works through the room's admission state and connection registry, so each transport reacts in
/// its own way. Each action is logged with who did it. What the server is doing is <see cref="StatusReport"/>;
/// the log actions are the admin log's <see cref="AdminLog.ServerLogs"/>.
/// </summary>
public sealed partial class ServerControl(
    RoomAdmission admission,
    ChatRoom room,
    CsvUserStore accounts,
    AccountEvents accountEvents,
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ILogger<ServerControl> logger)
{
    public ControlResult Pause(string by)
    {
        if (!admission.Pause()) return ControlResult.Failed("The server is already paused.");
        LogAction(logger, by, "paused the server", "");
        // Not awaited, and never dropped: the room waits for space in its queue rather than lose a notice.
        _ = room.AnnounceAsync(new Notice(NoticeLevel.Warning, "The server is paused: nobody new can join for now."));
        return ControlResult.Done("Paused: new connections are refused; connected users keep chatting.");
    }

    public ControlResult Resume(string by)
    {
        if (!admission.Resume()) return ControlResult.Failed("The server is not paused.");
        LogAction(logger, by, "resumed the server", "");
        _ = room.AnnounceAsync(new Notice(NoticeLevel.Info, "The server accepts new connections again."));
        return ControlResult.Done("Resumed: new connections are accepted.");
    }

    /// <summary>Removes every non-admin account; their cookies, tokens and connections end at once.</summary>
    public async Task<ControlResult> WipeAccountsAsync(string by)
    {
        var removed = await accounts.RemoveWhereAsync(user => !user.IsAdmin);
        foreach (var name in removed)
            await accountEvents.EndSessionsAsync(name, "your account was removed by the operator");
        LogAction(logger, by, "wiped the accounts of", string.Join(", ", removed));
        return ControlResult.Done($"{removed.Count} account(s) removed; admin accounts kept.");
    }

    public async Task<ControlResult> KickAsync(string userName, string by)
    {
        var closed = await room.CloseUserAsync(userName, RoomText.Kicked);
        if (closed == 0) return ControlResult.Failed($"{userName} is not online.");
        LogAction(logger, by, "kicked", userName);
        return ControlResult.Done($"{userName} was disconnected ({closed} connection(s)).");
    }

    /// <summary>Gives the account a new random password (returned, shown once); its sessions end.</summary>
    public async Task<(ControlResult Result, string? Password)> ResetPasswordAsync(string userName, string by)
    {
        await using var scope = scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<AccountService>();
        if (service.Find(userName) is not { } user) return (ControlResult.Failed($"There is no account {userName}."), null);

        var password = GeneratedPasswords.New(14);
        var reset = await service.ResetPasswordAsync(user.UserName, password);
        if (!reset.Succeeded) return (ControlResult.Failed(string.Join(" ", reset.Errors.Select(e => e.Description))), null);
        LogAction(logger, by, "reset the password of", user.UserName);
        return (ControlResult.Done($"{user.UserName} has a new password; their sessions were ended."), password);
    }

    public async Task<ControlResult> UnlockAsync(string userName, string by)
    {
        await using var scope = scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<AccountService>();
        if (service.Find(userName) is not { } user) return ControlResult.Failed($"There is no account {userName}.");
        var unlocked = await service.UnlockAsync(user.UserName);
        if (!unlocked.Succeeded) return ControlResult.Failed(string.Join(" ", unlocked.Errors.Select(e => e.Description)));
        LogAction(logger, by, "unlocked", user.UserName);
        return ControlResult.Done($"{user.UserName} is unlocked.");
    }

    public async Task<ControlResult> DeleteAsync(string userName, string by)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        if (await users.FindByNameAsync(userName) is not { } user) return ControlResult.Failed($"There is no account {userName}.");
        if (user.IsAdmin) return ControlResult.Failed("Admin accounts cannot be deleted here.");
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded) return ControlResult.Failed(string.Join(" ", result.Errors.Select(e => e.Description)));
        await accountEvents.EndSessionsAsync(user.UserName, "your account was deleted by the operator");
        LogAction(logger, by, "deleted the account", user.UserName);
        return ControlResult.Done($"The account {user.UserName} was deleted.");
    }

    /// <summary>Stops the host; as for any stop, the room tells everyone, closes every connection and stores what is queued (see RoomShutdown), and the process exits with code 0.</summary>
    public Task<ControlResult> ShutdownAsync(string by)
    {
        LogAction(logger, by, "shut the server down", "");
        // On the thread pool: stopping runs the room's close, which this caller (a page, the console) must not wait for.
        ThreadPool.QueueUserWorkItem(_ => lifetime.StopApplication());
        return Task.FromResult(ControlResult.Done("Shutting down."));
    }

    public IReadOnlyList<ChatUser> Accounts() => accounts.All();

    [LoggerMessage(LogLevel.Warning, "Operator {By} {Action} {Target}")]
    private static partial void LogAction(ILogger logger, string by, string action, string target);
}
