using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>A TCP connection to the gateway and the task that reads (and drops) all it is sent, watching for one awaited answer.</summary>
internal sealed class DrainedSocket : IAsyncDisposable
{
    // Answers are looked for at every read, so only a piece of one cut by a read boundary needs keeping.
    private const int Window = 2048;

    private readonly Socket _socket;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _tail = new();
    private readonly Task _draining;
    private (string Text, TaskCompletionSource<bool> Found)? _awaited;

    private DrainedSocket(Socket socket)
    {
        _socket = socket;
        _draining = Task.Run(DrainAsync);
    }

    public bool IsClosed => _closed.Task.IsCompleted;

    public static async Task<DrainedSocket> OpenAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        return new DrainedSocket(socket);
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
