namespace ChatWeb.Server.Chat;

/// <summary>
/// The one shutdown path: whatever stops the process (the console, the dashboard, SIGTERM, <c>docker stop</c>), the
/// room tells everybody on every transport and closes every connection while the transports are still running;
/// the sequencer then stores what is queued as the host stops it.
/// </summary>
internal sealed partial class RoomShutdown(ChatRoom room, IHostApplicationLifetime lifetime, ILogger<RoomShutdown> logger) : IHostedService
{
    private static readonly TimeSpan Limit = ChatRoom.CloseWait + TimeSpan.FromSeconds(5);

    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered after SignalR's own stopping hook (made when the hubs were mapped), so it runs before it:
        // stopping callbacks run last-registered first, and SignalR's closes every hub connection without a word.
        _registration = lifetime.ApplicationStopping.Register(CloseRoom);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }

    private void CloseRoom()
    {
        LogClosing(logger);
        // Run off the caller's thread: StopApplication may be called from a Blazor circuit, whose context is blocked here.
        if (!Task.Run(room.CloseAsync).Wait(Limit)) LogCloseTimedOut(logger, Limit.TotalSeconds);
    }

    [LoggerMessage(LogLevel.Information, "The server is stopping: telling everybody and closing every connection")]
    private static partial void LogClosing(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Closing the room took over {Seconds} s; stopping anyway")]
    private static partial void LogCloseTimedOut(ILogger logger, double seconds);
}
