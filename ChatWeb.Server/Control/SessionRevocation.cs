using ChatWeb.Server.Accounts;
using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Control;

/// <summary>
/// When an account's sessions end (password changed, wiped, deleted) its live connections close too:
/// cookies and tokens are checked per request, but a hub or TCP connection was checked only when it opened.
/// </summary>
internal sealed partial class SessionRevocation(AccountEvents events, ConnectionRegistry connections, ILogger<SessionRevocation> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        events.SessionsEnded += CloseAsync;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        events.SessionsEnded -= CloseAsync;
        return Task.CompletedTask;
    }

    private async Task CloseAsync(string userName, string reason)
    {
        var closed = await connections.CloseUserAsync(userName, reason);
        if (closed > 0) LogClosed(logger, closed, userName, reason);
    }

    [LoggerMessage(LogLevel.Information, "Closed {Count} connection(s) of {User}: {Reason}")]
    private static partial void LogClosed(ILogger logger, int count, string user, string reason);
}
