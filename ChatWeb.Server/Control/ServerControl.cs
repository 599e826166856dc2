using ChatWeb.Server.Chat;
using ChatWeb.Server.Hosting;

namespace ChatWeb.Server.Control;

/// <summary>
/// The operator's actions on the room and on the process, for every surface (the admin pages, the server console,
/// the tests). Control publishes to the room and the transports react: a pause closes the TCP port, a kick closes
/// the user's connections wherever they are. Each action is logged with who did it. The account actions are
/// <see cref="Accounts.AccountAdministration"/>'s, what the server is doing is <see cref="StatusReport"/>'s, and
/// the log actions are the admin log's <see cref="AdminLog.ServerLogs"/>.
/// </summary>
public sealed partial class ServerControl(
    RoomAdmission admission,
    ChatRoom room,
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

    /// <summary>Closes every connection of the user on every transport; answers once they are gone (or after a while).</summary>
    public async Task<ControlResult> KickAsync(string userName, string by)
    {
        var closed = await room.CloseUserAsync(userName, RoomText.Kicked);
        if (closed == 0) return ControlResult.Failed($"{userName} is not online.");
        LogAction(logger, by, "kicked", userName);
        return ControlResult.Done($"{userName} was disconnected ({closed} connection(s)).");
    }

    /// <summary>Stops the host; as for any stop, the room tells everyone, closes every connection and stores what is queued (see RoomShutdown), and the process exits with code 0.</summary>
    public Task<ControlResult> ShutdownAsync(string by)
    {
        LogAction(logger, by, "shut the server down", "");
        // On the thread pool: stopping runs the room's close, which this caller (a page, the console) must not wait for.
        ThreadPool.QueueUserWorkItem(_ => lifetime.StopApplication());
        return Task.FromResult(ControlResult.Done("Shutting down."));
    }

    [LoggerMessage(LogLevel.Warning, "Operator {By} {Action} {Target}")]
    private static partial void LogAction(ILogger logger, string by, string action, string target);
}
