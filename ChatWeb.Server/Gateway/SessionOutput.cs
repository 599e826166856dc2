using System.Net.Sockets;
using System.Threading.Channels;

namespace ChatWeb.Server.Gateway;

/// <summary>
/// Everything one client is sent. During sign-in and the history replay the session writes straight to
/// the socket; from <see cref="StartQueue"/> on, lines go through a bounded queue that one writer loop
/// drains, handing as many queued lines as are waiting to the socket in one gathered write. The room's
/// dispatcher only ever calls <see cref="TryEnqueue"/>, which never waits.
/// </summary>
internal sealed class SessionOutput
{
    // One gathered write takes at most this many lines (well under the OS's iovec limit).
    private const int MaxLinesPerWrite = 256;

    private readonly Socket _socket;
    private readonly Channel<byte[]> _queue;
    private readonly int _replyRoom;
    private Task _writer = Task.CompletedTask;
    private TaskCompletionSource _written = NewSignal();
    private int _started;
    private volatile bool _closed;

    /// <param name="queueLimit">Lines that may wait for a slow client; 0 = no limit.</param>
    public SessionOutput(Socket socket, int queueLimit)
    {
        _socket = socket;
        _queue = queueLimit > 0
            ? Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })
            : Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        _replyRoom = queueLimit > 0 ? Math.Max(1, queueLimit / 2) : int.MaxValue;
    }

    /// <summary>True once the output was completed or the connection broke: nothing more will be sent.</summary>
    public bool IsClosed => _closed;

    /// <summary>Writes lines at once; only while the queue has not started (sign-in, history), from the session's own task.</summary>
    public async Task WriteAsync(IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        var buffers = lines.Select(line => new ArraySegment<byte>(WireText.Encode(line))).ToList();
        if (buffers.Count > 0) await _socket.SendAsync(buffers, SocketFlags.None).WaitAsync(cancellationToken);
    }

    public Task WriteAsync(string line, CancellationToken cancellationToken) => WriteAsync([line], cancellationToken);

    /// <summary>Queues an encoded line (shared between sessions, never changed); false when the queue is full or closed.</summary>
    public bool TryEnqueue(byte[] line) => _queue.Writer.TryWrite(line);

    /// <summary>
    /// Queues a reply to the client's own line. While half the queue is taken it waits for the client to
    /// read: a client that floods the server is slowed to the pace at which it reads the answers, and the
    /// other half stays free for the room's lines, so its own flood never gets it cut off.
    /// </summary>
    public async ValueTask ReplyAsync(string line, CancellationToken cancellationToken)
    {
        while (!_closed && _queue.Reader.Count >= _replyRoom)
        {
            var written = Volatile.Read(ref _written);
            if (_queue.Reader.Count < _replyRoom) break;
            await written.Task.WaitAsync(cancellationToken);
        }
        _queue.Writer.TryWrite(WireText.Encode(line));
    }

    /// <summary>From now on lines reach the client only through the queue, in the order they were queued.</summary>
    public void StartQueue()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Sends what is queued (for at most <paramref name="drainTime"/>), then stops. Safe to call more than once.</summary>
    public async Task CompleteAsync(TimeSpan drainTime)
    {
        _closed = true;
        _queue.Writer.TryComplete();
        StartQueue();
        try
        {
            await _writer.WaitAsync(drainTime);
        }
        catch (TimeoutException)
        {
            // The client stopped reading: the caller closes the socket, which ends the pending write.
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<ArraySegment<byte>>(MaxLinesPerWrite);
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (batch.Count < MaxLinesPerWrite && reader.TryRead(out var line)) batch.Add(line);
                await _socket.SendAsync(batch, SocketFlags.None);
                batch.Clear();
                Interlocked.Exchange(ref _written, NewSignal()).TrySetResult();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The connection is gone; the session's read side notices and ends the session.
            _closed = true;
            _queue.Writer.TryComplete();
        }
        finally
        {
            _written.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
