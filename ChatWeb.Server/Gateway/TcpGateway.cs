using System.Net;
using System.Net.Sockets;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Security;

namespace ChatWeb.Server.Gateway;

/// <summary>
/// Listens for TCP clients and runs each in its own task. Deliberately a BackgroundService over a
/// TcpListener, not a Kestrel ConnectionHandler: a pause must really close the port (Kestrel keeps its
/// endpoints bound for the server's whole life) and start-up must be able to move on to the next port
/// when the configured one is busy.
/// </summary>
internal sealed partial class TcpGateway(GatewayServices services, GatewayStatus status, GatewayFanOut fanOut, ILogger<TcpGateway> logger) : BackgroundService
{
    private static readonly TimeSpan RelistenDelay = TimeSpan.FromSeconds(1);
    private const int KernelSendBuffer = 64 * 1024;

    private readonly GatewayOptions _options = services.Options.Value;
    private readonly ConnectionsPerIp _perIp = new(services.Options.Value.MaxConnectionsPerIp);
    // Ends sessions that did not close when asked to at shutdown.
    private readonly CancellationTokenSource _sessionsStopping = new();
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private IPEndPoint _endpoint = new(IPAddress.Any, 0);
    private TaskCompletionSource _admissionChanged = NewSignal();
    private long _lastSessionNumber;
    private bool _relistenFailing;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Bound here, before the host reports started, so a gateway that cannot listen stops start-up.
        var listener = PortBinder.BindFirstFree(_options, logger);
        lock (_gate)
        {
            _listener = listener;
            _endpoint = (IPEndPoint)listener.LocalEndpoint;
        }
        status.Bound(_endpoint.Port);
        status.Listening(listening: true, paused: false);

        services.Admission.Changed += OnAdmissionChanged;
        if (services.Admission.IsPaused) OnAdmissionChanged(paused: true);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        services.Admission.Changed -= OnAdmissionChanged;
        lock (_gate) StopListening(paused: false);
        await base.StopAsync(cancellationToken);

        // The room closed its members as the server began to stop; whoever is still signing in is told why here.
        var closing = Task.WhenAll(fanOut.Sessions.All.Select(session => session.CloseAsync(RoomText.ShuttingDown)));
        await Task.WhenAny(closing, Task.Delay(Timeout.Infinite, cancellationToken));
        await _sessionsStopping.CancelAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TcpListener? listener;
            Task changed;
            lock (_gate)
            {
                listener = _listener;
                changed = _admissionChanged.Task;
            }

            if (listener is null)
            {
                // Paused, or a resume could not get the port back yet: wait for a change, retrying the port meanwhile.
                if (!services.Admission.IsPaused && TryRelisten()) continue;
                await Task.WhenAny(changed, Task.Delay(services.Admission.IsPaused ? Timeout.InfiniteTimeSpan : RelistenDelay, stoppingToken));
                continue;
            }

            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                if (!ReferenceEquals(Volatile.Read(ref _listener), listener)) continue; // closed by a pause
                LogAcceptFailed(logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
                continue;
            }
            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        IPAddress address;
        try
        {
            address = ConnectionsPerIp.KeyOf((client.RemoteEndPoint as IPEndPoint)?.Address);
            client.NoDelay = true;
            // A fixed kernel send buffer instead of one that grows to megabytes: the session's bounded queue,
            // not the OS, is then what measures how far behind a client is (SendQueueLimit means what it says).
            client.SendBufferSize = KernelSendBuffer;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Gone before it was let in.
            client.Dispose();
            return;
        }
        if (!_perIp.TryOpen(address))
        {
            if (services.UnauthenticatedLog.ShouldLog()) LogTooManyConnections(logger, MaskedAddress.Of(address), _options.MaxConnectionsPerIp);
            _ = RefuseAsync(client, WireText.TooManyConnections(_options.MaxConnectionsPerIp));
            return;
        }

        var session = new GatewaySession(client, $"tcp-{Interlocked.Increment(ref _lastSessionNumber)}", services);
        fanOut.Sessions.Add(session.Id, session);
        status.ConnectionOpened();
        _ = Task.Run(async () =>
        {
            try
            {
                await session.RunAsync(_sessionsStopping.Token);
            }
            finally
            {
                fanOut.Sessions.Remove(session.Id);
                _perIp.Close(address);
                status.ConnectionClosed();
            }
        });
    }

    private static async Task RefuseAsync(Socket client, string line)
    {
        using (client)
        {
            try
            {
                await client.SendAsync(new ArraySegment<byte>(WireText.Encode(line)), SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(2));
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or TimeoutException)
            {
                // It is being turned away; whether it heard why is its business.
            }
        }
    }

    private void OnAdmissionChanged(bool paused)
    {
        lock (_gate)
        {
            if (paused)
            {
                StopListening(paused: true);
                LogPaused(logger, _endpoint.Port);
            }
            else
            {
                TryRelistenLocked();
            }
            var signal = _admissionChanged;
            _admissionChanged = NewSignal();
            signal.TrySetResult();
        }
    }

    private bool TryRelisten()
    {
        lock (_gate) return TryRelistenLocked();
    }

    /// <summary>Opens the same port again after a pause: clients and the operator keep one address.</summary>
    private bool TryRelistenLocked()
    {
        if (_listener is not null) return true;
        if (services.Admission.IsPaused) return false;
        try
        {
            _listener = PortBinder.Listen(_endpoint.Address, _endpoint.Port);
            _relistenFailing = false;
            status.Listening(listening: true, paused: false);
            LogResumed(logger, _endpoint.Port);
            return true;
        }
        catch (SocketException ex)
        {
            status.Listening(listening: false, paused: false);
            // Retried every second; said once, not every second.
            if (!_relistenFailing) LogRelistenFailed(logger, _endpoint.Port, ex.SocketErrorCode.ToString());
            _relistenFailing = true;
            return false;
        }
    }

    private void StopListening(bool paused)
    {
        var listener = _listener;
        _listener = null;
        listener?.Dispose();
        status.Listening(listening: false, paused);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Dispose()
    {
        // _sessionsStopping is left to the GC: the host may still be in StopAsync when the container disposes us.
        lock (_gate) StopListening(paused: false);
        base.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "TCP gateway paused: port {Port} closed")]
    private static partial void LogPaused(ILogger logger, int port);

    [LoggerMessage(LogLevel.Information, "TCP gateway resumed: listening on port {Port} again")]
    private static partial void LogResumed(ILogger logger, int port);

    [LoggerMessage(LogLevel.Error, "TCP gateway could not listen on port {Port} again ({Error}); retrying every second")]
    private static partial void LogRelistenFailed(ILogger logger, int port, string error);

    [LoggerMessage(LogLevel.Warning, "TCP connection from {Address} refused: it already has {Max} open")]
    private static partial void LogTooManyConnections(ILogger logger, string address, int max);

    [LoggerMessage(LogLevel.Error, "Accepting a TCP connection failed")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception);
}
