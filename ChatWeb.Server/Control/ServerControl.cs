using System.Diagnostics;
using ChatWeb.Server.Accounts;
using ChatWeb.Server.Chat;
using ChatWeb.Server.History;
using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Control;

/// <summary>
/// Every operator action, for every surface: the admin pages, the server console and the tests call
/// this and nothing else. It works through the room's admission state and connection registry, so
/// each transport reacts in its own way. Each action is logged with who did it.
/// </summary>
public sealed partial class ServerControl(
    RoomAdmission admission,
    ChatRoom room,
    ConnectionRegistry connections,
    AccountFile accounts,
    AccountEvents accountEvents,
    CsvChatHistory history,
    ConsoleLogSwitch consoleLogs,
    RollingLogFile logFile,
    IServiceScopeFactory scopes,
    IServer server,
    IHostApplicationLifetime lifetime,
    IEnumerable<ITcpEndpoint> tcpEndpoints,
    TimeProvider time,
    ILogger<ServerControl> logger)
{
    private readonly DateTime _startedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public ControlResult Pause(string by)
    {
        if (!admission.Pause()) return ControlResult.Failed("The server is already paused.");
        LogAction(logger, by, "paused the server", "");
        room.Announce(new Notice(NoticeLevel.Warning, "The server is paused: nobody new can join for now."));
        return ControlResult.Done("Paused: new connections are refused; connected users keep chatting.");
    }

    public ControlResult Resume(string by)
    {
        if (!admission.Resume()) return ControlResult.Failed("The server is not paused.");
        LogAction(logger, by, "resumed the server", "");
        room.Announce(new Notice(NoticeLevel.Info, "The server accepts new connections again."));
        return ControlResult.Done("Resumed: new connections are accepted.");
    }

    public ControlResult SetConsoleLogs(bool on, string by)
    {
        if (on) consoleLogs.TurnOn(); else consoleLogs.TurnOff();
        LogAction(logger, by, on ? "turned console logs on" : "turned console logs off", "");
        return ControlResult.Done(on ? "Logs are shown on the console." : "Logs are no longer shown on the console (log.txt still gets them).");
    }

    /// <summary>Empties log.txt (logging goes on into it), deletes the rolled log files and, when there is one, clears the console.</summary>
    public ControlResult ClearLogs(string by)
    {
        try
        {
            logFile.Clear();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ControlResult.Failed($"The logs could not be cleared: {ex.Message}");
        }
        if (!Console.IsOutputRedirected) Console.Clear();
        LogAction(logger, by, "cleared the logs", "");
        return ControlResult.Done("The logs were cleared.");
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
        var closed = await connections.CloseUserAsync(userName, "you were disconnected by the operator");
        if (closed == 0) return ControlResult.Failed($"{userName} is not online.");
        LogAction(logger, by, "kicked", userName);
        return ControlResult.Done($"{userName} was disconnected ({closed} connection(s)).");
    }

    /// <summary>Gives the account a new random password (returned, shown once); its sessions end.</summary>
    public async Task<(ControlResult Result, string? Password)> ResetPasswordAsync(string userName, string by)
    {
        await using var scope = scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<AccountService>();
        if (accounts.Find(userName) is not { } user) return (ControlResult.Failed($"There is no account {userName}."), null);

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
        if (accounts.Find(userName) is not { } user) return ControlResult.Failed($"There is no account {userName}.");
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

    /// <summary>Tells everyone, closes every connection and stops the host; the room stores what is queued before the process exits (code 0).</summary>
    public async Task<ControlResult> ShutdownAsync(string by)
    {
        LogAction(logger, by, "shut the server down", "");
        const string reason = "the server is shutting down";
        room.Announce(new Notice(NoticeLevel.Warning, "The server is shutting down."));
        await connections.CloseWhereAsync(_ => true, reason);
        lifetime.StopApplication();
        return ControlResult.Done("Shutting down.");
    }

    public ServerStatus Status()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var log = new FileInfo(logFile.Path);
        return new ServerStatus(
            Uptime: now - _startedAt,
            HttpAddresses: addresses,
            TcpPort: tcpEndpoints.Select(e => e.Port).FirstOrDefault(p => p is not null),
            Paused: admission.IsPaused,
            Online: room.Who(),
            MessagesToday: history.CountOn(now),
            LogFileBytes: log.Exists ? log.Length : 0,
            ConsoleLogs: consoleLogs.IsOn,
            StorageHealthy: room.IsStorageHealthy);
    }

    public IReadOnlyList<ChatUser> Accounts() => accounts.All();

    [LoggerMessage(LogLevel.Warning, "Operator {By} {Action} {Target}")]
    private static partial void LogAction(ILogger logger, string by, string action, string target);
}
