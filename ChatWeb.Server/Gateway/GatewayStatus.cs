using ChatWeb.Server.Control;

namespace ChatWeb.Server.Gateway;

/// <summary>
/// What the TCP gateway is doing right now: the port it really took (0 until bound), whether it is
/// listening, whether it is paused, and how many clients are connected. Read by tests, health checks
/// and the admin status page.
/// </summary>
public sealed class GatewayStatus : ITcpEndpoint
{
    private volatile int _port;
    private volatile bool _listening;
    private volatile bool _paused;
    private int _connections;

    public int Port => _port;

    /// <summary>For the operator's status view: the port while it is open, null while paused (or not yet bound).</summary>
    int? ITcpEndpoint.Port => _listening ? _port : null;

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
