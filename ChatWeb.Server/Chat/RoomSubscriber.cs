namespace ChatWeb.Server.Chat;

/// <summary>
/// A reader of the room's stream for the host's lifetime: it subscribes from the stream's position when the host
/// starts (before anybody can join, so it misses nothing) and lets go when the host stops.
/// </summary>
public abstract class RoomSubscriber(IRoomStream stream) : IRoomSubscriber, IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = stream.Subscribe(this, stream.Position);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public abstract void OnEvents(ReadOnlySpan<StreamEvent> events);
}
