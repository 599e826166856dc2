using System.Net;
using System.Net.Sockets;
using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Transports;

/// <summary>A plain TCP connection (ChatWeb's gateway, IRC).</summary>
internal sealed class SocketLink : ILink
{
    private const int ReceiveBufferBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private SocketLink(Socket socket) => _socket = socket;

    public static async Task<SocketLink> ConnectAsync(IPEndPoint server, CancellationToken cancellationToken)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
            return new SocketLink(socket);
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
            var read = await _socket.ReceiveAsync(buffer.FreeSpace, SocketFlags.None, cancellationToken);
            if (read == 0) return;
            buffer.Commit(read, handler, LatencyClock.Now());
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            while (!data.IsEmpty)
            {
                var sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken);
                data = data[sent..];
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
