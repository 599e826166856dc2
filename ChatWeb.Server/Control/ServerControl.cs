using System.Diagnostics;
using ChatWeb.Server.Chat;
using ChatWeb.Server.History;
using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ChatWeb.Server.Control;

/// <summary>
/// The server's operator actions, for every surface: the admin pages, the server console and the tests
/// (the account actions are <see cref="Accounts.AccountAdministration"/>'s). It works through the room's admission state and connection registry, so
/// each transport reacts in its own way. Each action is logged with who did it.
/// </summary>
public sealed partial class ServerControl(
    RoomAdmission admission,
    ChatRoom room,
    ConnectionRegistry connections,
    CsvChatHistory history,
    ConsoleLogSwitch consoleLogs,
    RollingLogFile logFile,
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

    public async Task<ControlResult> KickAsync(string userName, string by)
    {
        var closed = await connections.CloseUserAsync(userName, "you were disconnected by the operator");
        if (closed == 0) return ControlResult.Failed($"{userName} is not online.");
        LogAction(logger, by, "kicked", userName);
        return ControlResult.Done($"{userName} was disconnected ({closed} connection(s)).");
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

    [LoggerMessage(LogLevel.Warning, "Operator {By} {Action} {Target}")]
    private static partial void LogAction(ILogger logger, string by, string action, string target);
}
