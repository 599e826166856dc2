using System.Net.WebSockets;
using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Transports;

/// <summary>A WebSocket (SignalR's transport), each send one text message.</summary>
internal sealed class WebSocketLink : ILink
{
    private const int ReceiveBufferBytes = 16 * 1024;

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

    public async Task ReceiveAsync(byte delimiter, IFrameHandler handler, CancellationToken cancellationToken)
    {
        using var buffer = new FrameBuffer(delimiter, ReceiveBufferBytes);
        while (true)
        {
            var read = await _socket.ReceiveAsync(buffer.FreeSpace, cancellationToken);
            if (read.MessageType == WebSocketMessageType.Close) return;
            buffer.Commit(read.Count, handler, LatencyClock.Now());
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
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

    public async ValueTask DisposeAsync()
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
