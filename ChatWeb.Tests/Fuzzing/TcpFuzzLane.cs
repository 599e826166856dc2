using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>
/// One socket throwing inputs at the gateway one after another, reading (and dropping) everything the
/// server says so it is never cut off as a slow reader. A member lane signs in with <c>/resume</c> first,
/// so its junk reaches the chat loop; a stranger lane stays at the sign-in prompts. Whenever the server or
/// an input ends the connection, the lane connects again and goes on with the next input.
/// </summary>
internal sealed class TcpFuzzLane(int port, int lane, string? memberName, string? memberToken) : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(20);
    private const int ProbeEvery = 200;

    private readonly Queue<TcpInput> _recent = new();
    private Connection? _connection;
    private int _probes;

    public int Reconnects { get; private set; }

    public async Task RunAsync(IEnumerable<TcpInput> inputs, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var input in inputs)
        {
            _recent.Enqueue(input);
            if (_recent.Count > 5) _recent.Dequeue();
            var connection = await LiveConnectionAsync(cancellationToken);
            await DeliverAsync(connection, input, cancellationToken);
            if (memberToken is not null && ++sent % ProbeEvery == 0) await ProbeAsync(cancellationToken);
        }
        await SayGoodbyeAsync(cancellationToken);
    }

    /// <summary>What the lane sent last, for a failure message.</summary>
    public string Recent() => string.Join("\n  ", _recent);

    private async Task DeliverAsync(Connection connection, TcpInput input, CancellationToken cancellationToken)
    {
        try
        {
            switch (input.Delivery)
            {
                case TcpDelivery.Whole:
                    await connection.SendAsync(input.Bytes, cancellationToken);
                    break;
                case TcpDelivery.Pieces:
                    foreach (var piece in Pieces(input))
                    {
                        await connection.SendAsync(piece, cancellationToken);
                        await Task.Delay(1, cancellationToken); // apart, so the server reads them apart
                    }
                    break;
                case TcpDelivery.ByteByByte:
                    for (var i = 0; i < input.Bytes.Length; i++) await connection.SendAsync(input.Bytes.AsMemory(i, 1), cancellationToken);
                    break;
                case TcpDelivery.ThenReset:
                    await connection.SendAsync(input.Bytes, cancellationToken);
                    connection.Reset();
                    break;
                case TcpDelivery.ThenHangUp:
                    await connection.SendAsync(input.Bytes, cancellationToken);
                    connection.HangUp();
                    // The server must notice the end of the stream and close its side.
                    if (!await connection.WaitClosedAsync(AnswerTime))
                        throw new FuzzFailure($"TCP lane {lane}: the server did not close after the client hung up mid-line", Recent());
                    break;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // The server closed this connection meanwhile (an "exit" earlier in the input, a full queue):
            // the next input gets a new one.
        }
    }

    /// <summary>Members: an unknown command with a number of its own, answered in order after everything before it.</summary>
    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var connection = await LiveConnectionAsync(cancellationToken);
        var probe = $"/probe-{lane}-{++_probes}";
        // A newline first ends whatever half line the last input left.
        var answered = connection.WaitForAsync($"! unknown command {probe}; type /help", AnswerTime);
        if (!await connection.TrySendAsync(Encoding.UTF8.GetBytes($"\n{probe}\n"), cancellationToken)) return; // closed meanwhile by the last input
        if (!await answered && !connection.IsClosed)
            throw new FuzzFailure($"TCP lane {lane}: no answer to {probe} within {AnswerTime.TotalSeconds} s", Recent());
    }

    /// <summary>Whatever state the junk left it in, the session still reads its input: <c>exit</c> closes it.</summary>
    private async Task SayGoodbyeAsync(CancellationToken cancellationToken)
    {
        var connection = await LiveConnectionAsync(cancellationToken);
        // Closed meanwhile by the last input: a new connection says it.
        if (!await connection.TrySendAsync("\nexit\n"u8.ToArray(), cancellationToken))
        {
            connection = await LiveConnectionAsync(cancellationToken);
            await connection.SendAsync("exit\n"u8.ToArray(), cancellationToken);
        }
        if (!await connection.WaitClosedAsync(AnswerTime))
            throw new FuzzFailure($"TCP lane {lane}: the server did not close the connection after exit", Recent());
    }

    private async Task<Connection> LiveConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsClosed: false } live) return live;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            Reconnects++;
        }
        _connection = await Connection.OpenAsync(port, cancellationToken);
        if (memberToken is not null)
        {
            var welcomed = _connection.WaitForAsync($"Welcome back, {memberName}!", AnswerTime);
            await _connection.SendAsync(Encoding.UTF8.GetBytes($"/resume {memberToken}\n"), cancellationToken);
            if (!await welcomed)
                throw new FuzzFailure($"TCP lane {lane}: /resume was not answered", Recent());
        }
        return _connection;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Pieces(TcpInput input)
    {
        var random = new Random(input.Index);
        var cuts = Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(0, input.Bytes.Length + 1)).Order().ToList();
        var start = 0;
        foreach (var cut in cuts.Append(input.Bytes.Length))
        {
            if (cut > start) yield return input.Bytes.AsMemory(start, cut - start);
            start = Math.Max(start, cut);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }

    /// <summary>A socket and the task that drains it, keeping the last few kilobytes to look for an answer in.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        // Answers are looked for at every read, so only a piece of one cut by a read boundary needs keeping.
        private const int Window = 2048;

        private readonly Socket _socket;
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringBuilder _tail = new();
        private readonly Task _draining;
        private (string Text, TaskCompletionSource<bool> Found)? _awaited;

        private Connection(Socket socket)
        {
            _socket = socket;
            _draining = Task.Run(DrainAsync);
        }

        public bool IsClosed => _closed.Task.IsCompleted;

        public static async Task<Connection> OpenAsync(int port, CancellationToken cancellationToken)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new Connection(socket);
        }

        public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            try
            {
                while (!bytes.IsEmpty)
                {
                    var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
                    bytes = bytes[sent..];
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The server closed it: the lane takes a new one for what comes next.
                _closed.TrySetResult();
                throw;
            }
        }

        /// <summary>False when the connection is already gone.</summary>
        public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            try
            {
                await SendAsync(bytes, cancellationToken);
                return true;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }

        /// <summary>An abortive close: the peer gets a reset, not an orderly end.</summary>
        public void Reset()
        {
            _socket.LingerState = new LingerOption(true, 0);
            _socket.Close();
            _closed.TrySetResult();
        }

        public void HangUp() => _socket.Shutdown(SocketShutdown.Send);

        public async Task<bool> WaitClosedAsync(TimeSpan timeout) =>
            await Task.WhenAny(_closed.Task, Task.Delay(timeout)) == _closed.Task;

        /// <summary>
        /// True once <paramref name="text"/> has arrived; false when the connection closed or time ran out first.
        /// Call it before sending what the text answers: it starts looking at once.
        /// </summary>
        public async Task<bool> WaitForAsync(string text, TimeSpan timeout)
        {
            var found = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_tail)
            {
                if (_tail.ToString().Contains(text, StringComparison.Ordinal)) return true;
                _awaited = (text, found);
            }
            await Task.WhenAny(found.Task, _closed.Task, Task.Delay(timeout));
            lock (_tail) _awaited = null;
            return found.Task.IsCompleted;
        }

        private async Task DrainAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var read = await _socket.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0) break;
                    lock (_tail)
                    {
                        // Looked for at every read, so a busy room cannot push an answer out of the window unseen.
                        _tail.Append(Encoding.UTF8.GetString(buffer, 0, read));
                        if (_awaited is { } awaited && _tail.ToString().Contains(awaited.Text, StringComparison.Ordinal))
                        {
                            awaited.Found.TrySetResult(true);
                            _awaited = null;
                        }
                        if (_tail.Length > Window) _tail.Remove(0, _tail.Length - Window);
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Reset by the server, or closed by us.
            }
            finally
            {
                _closed.TrySetResult();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _socket.Dispose();
            await _draining.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
