namespace ChatWeb.Server.Gateway;

/// <summary>
/// What the TCP gateway is doing right now, for tests, the readiness check and the operator's status view.
/// </summary>
public sealed class GatewayStatus
{
    private volatile int _port;
    private volatile bool _listening;
    private volatile bool _paused;
    private int _connections;

    /// <summary>
    /// The port the gateway took at start-up (0 until then). It keeps it for the life of the process: after a pause
    /// it listens on the same one again, so clients keep one address. Whether it is open right now is <see cref="IsListening"/>.
    /// </summary>
    public int Port => _port;

    /// <summary>Accepting connections on <see cref="Port"/>: false while paused, and while another program holds the port after a pause.</summary>
    public bool IsListening => _listening;

    public bool IsPaused => _paused;

    /// <summary>Open TCP connections, signed in or not.</summary>
    public int Connections => Volatile.Read(ref _connections);

    internal void Bound(int port) => _port = port;

    internal void Listening(bool listening, bool paused)
    {
        _listening = listening;
        _paused = paused;
    }

    internal void ConnectionOpened() => Interlocked.Increment(ref _connections);
    internal void ConnectionClosed() => Interlocked.Decrement(ref _connections);
}
