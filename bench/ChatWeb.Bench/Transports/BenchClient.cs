using System.Text;
using System.Threading.Channels;
using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Transports;

/// <summary>Something a server said that ends a client's sign-in, or a connection that ended during it.</summary>
internal sealed class BenchClientException(string message) : Exception(message);

/// <summary>How a chat text travels from a client to the server: the bytes before and after it.</summary>
internal sealed record MessageFraming(byte[] Prefix, byte[] Suffix);

/// <summary>
/// One simulated user. Until it is in the room, every frame it receives is decoded into a setup line for the
/// sign-in conversation; from then on frames go, undecoded, to <see cref="Stats"/>, which counts the
/// benchmark messages among them. Only the transport's own control frames (an IRC PING) get an answer.
/// </summary>
internal abstract class BenchClient : IFrameHandler, IAsyncDisposable
{
    private readonly Channel<string> _setupLines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private ILink? _link;
    private Task _receiving = Task.CompletedTask;
    private volatile bool _inRoom;
    private long _lastFrameTimestamp;
    private string _ending = "the server closed the connection";
    private long _serverErrors;
    private string? _firstServerError;

    public abstract string Transport { get; }

    /// <summary>Whether the server sends a client its own messages back (SignalR does, the TCP gateway and IRC do not).</summary>
    public abstract bool EchoesOwnMessages { get; }

    public abstract MessageFraming Framing { get; }

    /// <summary>Where received frames are counted once the client is in the room.</summary>
    public ReceiverStats? Stats { get; set; }

    /// <summary>When the last frame arrived (<see cref="LatencyClock"/> ticks): a quiet room is one where this stopped moving.</summary>
    public long LastFrameTimestamp => Volatile.Read(ref _lastFrameTimestamp);

    /// <summary>Frames in which the server, once the client was in the room, refused something or ended the connection.</summary>
    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    /// <summary>The first of <see cref="ServerErrors"/>, as the server wrote it.</summary>
    public string? FirstServerError => Volatile.Read(ref _firstServerError);

    /// <summary>False once the server closed the connection.</summary>
    public bool IsConnected => _link is not null && !_receiving.IsCompleted;

    protected abstract byte Delimiter { get; }

    /// <summary>Connects, signs in and enters the room; completes when live traffic is flowing to this client.</summary>
    public abstract Task JoinAsync(CancellationToken cancellationToken);

    /// <summary>Sends frames already in the transport's wire form (several messages at once is fine).</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> wire, CancellationToken cancellationToken) =>
        (_link ?? throw new InvalidOperationException("not connected")).SendAsync(wire, cancellationToken);

    /// <summary>The frame after which everything is live room traffic.</summary>
    protected abstract bool IsRoomEntered(string line);

    /// <summary>A setup line that means the sign-in failed.</summary>
    protected abstract bool IsFailure(string line);

    /// <summary>A room frame that refuses something or ends the connection; by default whatever would have failed the sign-in.</summary>
    protected virtual bool IsServerError(string line) => IsFailure(line);

    /// <summary>A frame that is neither a benchmark message nor part of the sign-in: answer it if the protocol asks.</summary>
    protected virtual void OnControlFrame(ReadOnlySpan<byte> frame)
    {
    }

    protected void StartReceiving(ILink link)
    {
        _link = link;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    protected ValueTask SendLineAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Waits for a setup line that matches; a failure line or the end of the connection throws with what the server said.</summary>
    protected async Task<string> ExpectAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        var reader = _setupLines.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var line))
            {
                if (IsFailure(line)) throw new BenchClientException(line);
                if (match(line)) return line;
            }
        }
        throw new BenchClientException(_ending + " during sign-in");
    }

    public void OnFrame(ReadOnlySpan<byte> frame, long receivedTimestamp)
    {
        Volatile.Write(ref _lastFrameTimestamp, receivedTimestamp);
        if (_inRoom)
        {
            if (Stats is { } stats && stats.TryCount(frame, receivedTimestamp)) return;
            OnControlFrame(frame);
            // Decoded only here, off the path of the benchmark messages: presence notices, pings and errors are few.
            CountIfServerError(Decode(frame));
            return;
        }
        OnControlFrame(frame);
        var line = Decode(frame);
        // Switched here, on the receive loop, so that the very next frame is already counted as room traffic.
        if (IsRoomEntered(line)) _inRoom = true;
        _setupLines.Writer.TryWrite(line);
    }

    private static string Decode(ReadOnlySpan<byte> frame) => Encoding.UTF8.GetString(frame).TrimEnd('\r');

    private void CountIfServerError(string line)
    {
        if (!IsServerError(line)) return;
        Interlocked.CompareExchange(ref _firstServerError, line, null);
        Interlocked.Increment(ref _serverErrors);
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            await _link!.ReceiveAsync(Delimiter, this, _stop.Token);
        }
        catch (Exception ex)
        {
            // Reset, or stopped by us: either ends the connection, which IsConnected reports.
            _ending = ex.Message;
        }
        finally
        {
            _setupLines.Writer.TryComplete();
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_link is not null) await _link.DisposeAsync();
        await _receiving;
        _stop.Dispose();
    }
}
