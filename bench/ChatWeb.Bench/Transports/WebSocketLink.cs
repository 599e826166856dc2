using System.Net.WebSockets;

namespace ChatWeb.Bench.Transports;

/// <summary>A WebSocket (SignalR's transport), each send one text message.</summary>
internal sealed class WebSocketLink : Link<ValueWebSocketReceiveResult>
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private WebSocketLink(ClientWebSocket socket) => _socket = socket;

    public static async Task<WebSocketLink> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        // SignalR keeps the connection alive with its own pings; WebSocket pings would only add traffic.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            return new WebSocketLink(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    protected override ValueTask<ValueWebSocketReceiveResult> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, cancellationToken);

    // Message boundaries do not matter: frames are cut at the record separator, wherever the messages end.
    protected override int? BytesRead(ValueWebSocketReceiveResult read) =>
        read.MessageType == WebSocketMessageType.Close ? null : read.Count;

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(data, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Leaving anyway.
            }
        }
        _socket.Dispose();
        _writeGate.Dispose();
    }
}
