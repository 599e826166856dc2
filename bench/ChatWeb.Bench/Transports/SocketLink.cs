using System.Net;
using System.Net.Sockets;

namespace ChatWeb.Bench.Transports;

/// <summary>A plain TCP connection (ChatWeb's gateway, IRC).</summary>
internal sealed class SocketLink : Link<int>
{
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

    protected override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    // A stream socket's receive returns 0 only at the end of the stream.
    protected override int? BytesRead(int read) => read == 0 ? null : read;

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
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

    public override ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
