using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>
/// A WebSocket to <c>/hubs/chat</c> that sends whatever bytes it is given, framed as asked, and watches
/// for two things only: the answer to a probe invocation and the server's close message. Everything
/// else the room sends is read and dropped.
/// </summary>
internal sealed class RawHubSocket : IAsyncDisposable
{
    public const string InvalidJsonFromServer = "the server sent invalid JSON";
    public const string JsonHandshake = "{\"protocol\":\"json\",\"version\":1}\u001e";

    private readonly ClientWebSocket _socket = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private (string Id, TaskCompletionSource Answered)? _probe;
    private Task _receiving = Task.CompletedTask;

    /// <summary>Why the server ended the connection: its close message's error, or how the socket went away.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>The server's answer to the handshake (<c>{}</c>, or one with an error).</summary>
    public Task<string> HandshakeAnswer => _handshake.Task;

    public static async Task<RawHubSocket> ConnectAsync(Uri baseAddress, string token, CancellationToken cancellationToken)
    {
        var hub = new RawHubSocket();
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/hubs/chat", Query = "access_token=" + Uri.EscapeDataString(token) }.Uri;
        await hub._socket.ConnectAsync(uri, cancellationToken);
        hub._receiving = Task.Run(hub.ReceiveAsync, CancellationToken.None);
        return hub;
    }

    /// <summary>A connected, handshaken socket: ready for frames.</summary>
    public static async Task<RawHubSocket> OpenAsync(Uri baseAddress, string token, CancellationToken cancellationToken)
    {
        var hub = await ConnectAsync(baseAddress, token, cancellationToken);
        await hub.SendAsync(Encoding.UTF8.GetBytes(JsonHandshake), WebSocketMessageType.Text, cancellationToken);
        var answer = await hub.HandshakeAnswer.WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
        if (answer != "{}") throw new InvalidOperationException("the hub refused a proper handshake: " + answer);
        return hub;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken cancellationToken, bool endOfMessage = true) =>
        await _socket.SendAsync(payload, type, endOfMessage, cancellationToken);

    /// <summary>Sends the frame as its delivery says. Socket errors mean the server already closed: the caller sees it in <see cref="Closed"/>.</summary>
    public async Task SendFrameAsync(HubFrame frame, CancellationToken cancellationToken)
    {
        try
        {
            switch (frame.Delivery)
            {
                case HubDelivery.Binary:
                    await SendAsync(frame.Payload, WebSocketMessageType.Binary, cancellationToken);
                    break;
                case HubDelivery.Fragments:
                    var cuts = FragmentCuts(frame);
                    for (var i = 0; i < cuts.Count - 1; i++)
                        await SendAsync(frame.Payload.AsMemory(cuts[i], cuts[i + 1] - cuts[i]), WebSocketMessageType.Text, cancellationToken, endOfMessage: i == cuts.Count - 2);
                    break;
                case HubDelivery.AbortMidFrame:
                    await SendAsync(frame.Payload.AsMemory(0, frame.Payload.Length / 2), WebSocketMessageType.Text, cancellationToken, endOfMessage: false);
                    _socket.Abort();
                    break;
                default:
                    await SendAsync(frame.Payload, WebSocketMessageType.Text, cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            _closed.TrySetResult("socket gone: " + ex.Message);
        }
    }

    /// <summary>
    /// Invokes <c>Who</c> with an id of its own and waits until it is answered (the connection handled every
    /// frame before it) or the connection closes. False when neither happens in time: the server hangs.
    /// </summary>
    public async Task<bool> ProbeAsync(string id, bool endPendingFrame, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _probe = (id, answered);
        // A separator first ends a frame the fuzz left open, so the probe is read as a frame of its own.
        var probe = (endPendingFrame ? "\u001e" : "") + $"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"Who\",\"arguments\":[]}}\u001e";
        try
        {
            await SendAsync(Encoding.UTF8.GetBytes(probe), WebSocketMessageType.Text, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            _closed.TrySetResult("socket gone: " + ex.Message);
        }
        await Task.WhenAny(answered.Task, _closed.Task, Task.Delay(timeout, cancellationToken));
        return answered.Task.IsCompleted || _closed.Task.IsCompleted;
    }

    private static List<int> FragmentCuts(HubFrame frame)
    {
        var random = new Random(frame.Index);
        var cuts = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(0, frame.Payload.Length + 1)).Append(0).Append(frame.Payload.Length);
        return cuts.Distinct().Order().ToList();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult($"closed without a close message ({_socket.CloseStatus} {_socket.CloseStatusDescription})");
                    return;
                }
                for (var i = 0; i < received.Count; i++)
                {
                    if (buffer[i] != HubFrame.Separator)
                    {
                        pending.Add(buffer[i]);
                        continue;
                    }
                    OnFrame(pending);
                    pending.Clear();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult("socket gone: " + ex.Message);
        }
        finally
        {
            _handshake.TrySetResult("(no handshake answer)");
        }
    }

    private void OnFrame(List<byte> frame)
    {
        if (!_handshake.Task.IsCompleted)
        {
            _handshake.TrySetResult(Encoding.UTF8.GetString(frame.ToArray()));
            return;
        }
        // The room's broadcasts (type 1) are the bulk: only completions and the close message are parsed.
        if (frame.Count < 9 || frame[8] is not ((byte)'3' or (byte)'7')) return;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame.ToArray());
        }
        catch (JsonException ex)
        {
            _closed.TrySetResult($"{InvalidJsonFromServer}: {ex.Message}");
            return;
        }
        using var _ = document;
        var root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 3:
                lock (_gate)
                {
                    if (_probe is { } probe && root.TryGetProperty("invocationId", out var id) && id.GetString() == probe.Id)
                    {
                        probe.Answered.TrySetResult();
                        _probe = null;
                    }
                }
                break;
            case 7:
                _closed.TrySetResult(root.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "(close without error)");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone.
        }
        _socket.Abort();
        await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }
}
