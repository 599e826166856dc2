namespace ChatWeb.Bench.Transports;

/// <summary>A connection's bytes: frames in through a handler, frames out whole.</summary>
internal interface ILink : IAsyncDisposable
{
    /// <summary>Reads until the server closes the connection or <paramref name="cancellationToken"/> fires.</summary>
    Task ReceiveAsync(byte delimiter, IFrameHandler handler, CancellationToken cancellationToken);

    /// <summary>Sends the bytes whole; safe to call from several tasks (writes never interleave).</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
