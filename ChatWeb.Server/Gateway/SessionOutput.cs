using System.Buffers;
using System.Net.Sockets;

namespace ChatWeb.Server.Gateway;

/// <summary>
/// Everything one client is sent. During sign-in and the history replay the session writes straight to the
/// socket; from <see cref="StartQueue"/> on, lines are queued and go out when somebody flushes.
/// <para>
/// The gateway's fan-out queues each line (the same encoded bytes for every session) with
/// <see cref="TryEnqueue"/>, which does no I/O, and flushes every session once per batch of events: all the
/// lines queued since the last flush leave in one write, made on the fan-out's own thread, because a
/// socket nearly always takes the bytes at once. So a batch costs one syscall per session and no thread
/// hand-off. What a socket cannot take at once is finished by an asynchronous send that nobody waits for;
/// lines queue behind it, and a client that reads too slowly fills its queue and is cut off by its session.
/// No lock is held across I/O.
/// </para>
/// </summary>
internal sealed class SessionOutput(Socket socket, int queueLimit)
{
    private const int KeptListCapacity = 256;

    private readonly Lock _gate = new();
    private readonly int _replyRoom = queueLimit > 0 ? Math.Max(1, queueLimit / 2) : int.MaxValue;
    private List<byte[]> _queued = [];
    private List<byte[]>? _spare;
    private bool _writing;
    private bool _started;
    private volatile bool _closed;

    // Completed (and replaced) when a write ends, for whoever waits for room in the queue; made only when somebody does.
    private TaskCompletionSource? _written;

    /// <summary>True once the output was completed or the connection broke: nothing more will be sent.</summary>
    public bool IsClosed => _closed;

    /// <summary>Writes lines at once; only while the queue has not started (sign-in, history), from the session's own task.</summary>
    public async Task WriteAsync(IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        var buffers = lines.Select(line => new ArraySegment<byte>(WireText.Encode(line))).ToList();
        if (buffers.Count > 0) await socket.SendAsync(buffers, SocketFlags.None).WaitAsync(cancellationToken);
    }

    public Task WriteAsync(string line, CancellationToken cancellationToken) => WriteAsync([line], cancellationToken);

    /// <summary>Queues an encoded line (shared between sessions, never changed) for the next flush; false when the queue is full or closed.</summary>
    public bool TryEnqueue(byte[] line)
    {
        lock (_gate)
        {
            if (_closed || (queueLimit > 0 && _queued.Count >= queueLimit)) return false;
            _queued.Add(line);
            return true;
        }
    }

    /// <summary>Queues the last line the client gets (why it is closed): the room's lines that come after it are not sent.</summary>
    public void EnqueueLast(byte[] line)
    {
        lock (_gate)
        {
            if (_closed) return;
            _queued.Add(line);
            _closed = true;
        }
    }

    /// <summary>
    /// Queues a reply to the client's own line and sends it. While half the queue is taken it waits for the
    /// client to read: a client that floods the server is slowed to the pace at which it reads the answers,
    /// and the other half stays free for the room's lines, so its own flood never gets it cut off.
    /// </summary>
    public async ValueTask ReplyAsync(string line, CancellationToken cancellationToken)
    {
        var encoded = WireText.Encode(line);
        while (true)
        {
            Task written;
            lock (_gate)
            {
                if (_closed) return;
                if (_queued.Count < _replyRoom)
                {
                    _queued.Add(encoded);
                    break;
                }
                written = WhenWritten();
            }
            await written.WaitAsync(cancellationToken);
        }
        Flush();
    }

    /// <summary>From now on lines reach the client only through the queue, in the order they were queued.</summary>
    public void StartQueue()
    {
        lock (_gate) _started = true;
        Flush();
    }

    /// <summary>Sends what is queued, unless a write is under way (which sends it when it is done). Never waits.</summary>
    public void Flush()
    {
        List<byte[]> lines;
        lock (_gate)
        {
            if (!_started || _writing || _queued.Count == 0) return;
            _writing = true;
            lines = TakeQueued();
        }
        Write(lines);
    }

    /// <summary>Sends what is queued (for at most <paramref name="drainTime"/>), then stops. Safe to call more than once.</summary>
    public async Task CompleteAsync(TimeSpan drainTime)
    {
        lock (_gate)
        {
            _closed = true;
            _started = true;
        }
        Flush();
        try
        {
            await AllWrittenAsync().WaitAsync(drainTime);
        }
        catch (TimeoutException)
        {
            // The client stopped reading: the caller closes the socket, which ends the pending write.
        }
    }

    private async Task AllWrittenAsync()
    {
        while (true)
        {
            Task written;
            lock (_gate)
            {
                if (!_writing) return;
                written = WhenWritten();
            }
            await written;
        }
    }

    /// <summary>Writes the lines, then whatever was queued meanwhile, until nothing is left or the socket makes us wait.</summary>
    private void Write(List<byte[]> lines)
    {
        while (true)
        {
            var length = 0;
            foreach (var line in lines) length += line.Length;
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            var at = 0;
            foreach (var line in lines)
            {
                line.CopyTo(buffer, at);
                at += line.Length;
            }

            ValueTask<int> send;
            try
            {
                send = socket.SendAsync(buffer.AsMemory(0, length), SocketFlags.None);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                EndWrite(ok: false, buffer, lines, out _);
                return;
            }
            if (!send.IsCompleted)
            {
                _ = FinishAsync(send, buffer, lines);
                return;
            }
            if (!EndWrite(Succeeded(send), buffer, lines, out lines)) return;
        }
    }

    /// <summary>The socket's buffer was full: wait for it off the caller's thread, then go on with what queued meanwhile.</summary>
    private async Task FinishAsync(ValueTask<int> send, byte[] buffer, List<byte[]> lines)
    {
        bool ok;
        try
        {
            await send;
            ok = true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            ok = false;
        }
        if (EndWrite(ok, buffer, lines, out var next)) Write(next);
    }

    private static bool Succeeded(ValueTask<int> send)
    {
        try
        {
            send.GetAwaiter().GetResult();
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Ends a write: true with the next lines when more were queued meanwhile; false when done or the connection broke.</summary>
    private bool EndWrite(bool ok, byte[] buffer, List<byte[]> lines, out List<byte[]> next)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        lines.Clear();
        next = lines;
        lock (_gate)
        {
            // Reused for the next batch, unless a backlog made it large: an idle session should not keep that.
            _spare = lines.Capacity <= KeptListCapacity ? lines : null;
            if (!ok)
            {
                // The connection is gone; the session's read side notices and ends the session.
                _closed = true;
                _queued.Clear();
            }
            _written?.TrySetResult();
            _written = null;
            if (_queued.Count == 0)
            {
                _writing = false;
                return false;
            }
            next = TakeQueued();
            return true;
        }
    }

    private List<byte[]> TakeQueued()
    {
        var lines = _queued;
        _queued = _spare ?? [];
        _spare = null;
        return lines;
    }

    /// <summary>Under the lock: a task that completes when the current write ends.</summary>
    private Task WhenWritten() => (_written ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
