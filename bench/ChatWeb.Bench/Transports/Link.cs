using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Transports;

/// <summary>
/// The receive loop every link shares: reads into a pooled <see cref="FrameBuffer"/>, which hands each frame
/// over in place, stamped with the time its read returned. A link says only how to read once and what the
/// read returned. <see cref="ReadAsync"/> hands back the socket's own ValueTask, not a wrapper, so the loop
/// still awaits the socket directly: no extra await and no allocation per read.
/// </summary>
/// <typeparam name="TRead">What the socket's receive returns (a byte count, a WebSocket receive result).</typeparam>
internal abstract class Link<TRead> : ILink
{
    private const int ReceiveBufferBytes = 16 * 1024;

    public async Task ReceiveAsync(byte delimiter, IFrameHandler handler, CancellationToken cancellationToken)
    {
        using var buffer = new FrameBuffer(delimiter, ReceiveBufferBytes);
        while (BytesRead(await ReadAsync(buffer.FreeSpace, cancellationToken)) is { } count)
            buffer.Commit(count, handler, LatencyClock.Now());
    }

    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>One receive from the socket into <paramref name="buffer"/>.</summary>
    protected abstract ValueTask<TRead> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>How many bytes <paramref name="read"/> put in the buffer; null once the server closed the connection.</summary>
    protected abstract int? BytesRead(TRead read);
}
