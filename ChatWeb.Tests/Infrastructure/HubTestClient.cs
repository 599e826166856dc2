using System.Net;
using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>An invocation the server answered with an error (a HubException's text).</summary>
public sealed class HubInvocationException(string message) : Exception(message);

/// <summary>A call from the server to the client: target and arguments.</summary>
public sealed record HubEvent(string Target, JsonElement[] Arguments)
{
    public JsonElement Argument => Arguments[0];
}

/// <summary>
/// A SignalR client speaking the JSON hub protocol over a real WebSocket (the .NET SignalR client does
/// not restore here). Records every server call in order, so tests can wait for and inspect them.
/// </summary>
public sealed class HubTestClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<HubEvent> _events = [];
    private readonly Channel<HubEvent> _arrivals = Channel.CreateUnbounded<HubEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HubTestClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Completes when the server closes the connection, with the close message's error (or null).</summary>
    public Task<string?> Closed => _closed.Task;

    public IReadOnlyList<HubEvent> Events
    {
        get { lock (_events) return _events.ToList(); }
    }

    public static Task<HubTestClient> ConnectAsync(IChatWebServer server, string? accessToken, string path = "/hubs/chat", string? cookie = null) =>
        ConnectAsync(server.BaseAddress, accessToken, path, cookie);

    /// <summary>
    /// The HTTP status a WebSocket upgrade to a hub gets: 101 when it is accepted, else the refusal's own status, so a
    /// test of who is refused asserts exactly why (a 401 is not a 403 and not a dead server).
    /// </summary>
    public static async Task<HttpStatusCode> UpgradeStatusAsync(IChatWebServer server, string? accessToken, string path = "/hubs/chat")
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var query = accessToken is null ? "" : "?access_token=" + Uri.EscapeDataString(accessToken);
        var uri = new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = path, Query = query }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException)
        {
            // Refused: the status is kept on the socket.
        }
        return socket.HttpStatusCode;
    }

    public static async Task<HubTestClient> ConnectAsync(Uri baseAddress, string? accessToken, string path = "/hubs/chat", string? cookie = null)
    {
        var socket = new ClientWebSocket();
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
        var query = accessToken is null ? "" : "?access_token=" + Uri.EscapeDataString(accessToken);
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = path, Query = query }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(uri, timeout.Token);

        var client = new HubTestClient(socket);
        await client.SendFrameAsync("{\"protocol\":\"json\",\"version\":1}");
        var handshake = await client.ReadFrameAsync(timeout.Token) ?? throw new InvalidOperationException("no handshake response");
        using (var document = JsonDocument.Parse(handshake))
        {
            if (document.RootElement.TryGetProperty("error", out var error))
                throw new InvalidOperationException("handshake refused: " + error.GetString());
        }
        client._receiving = Task.Run(client.ReceiveLoopAsync);
        // The handshake is answered before the hub's OnConnectedAsync has run: a chat client is in the
        // room once its connect-time Users event arrives (or the server closed it, e.g. while paused).
        if (path == "/hubs/chat") await client.WaitUntilJoinedOrClosedAsync();
        return client;
    }

    private Task WaitUntilJoinedOrClosedAsync() =>
        Wait.UntilAsync(() => Closed.IsCompleted || Events.Any(e => e.Target == "Users"),
            () => $"Users after the handshake; got: {string.Join(", ", Events.Select(e => e.Target))}", TimeSpan.FromSeconds(15));

    /// <summary>Invokes a hub method and returns its result; a server error throws <see cref="HubInvocationException"/>.</summary>
    public async Task<JsonElement> InvokeAsync(string method, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendFrameAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target = method, arguments }));
        return await completion.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>
    /// Invokes a method once per argument list, every invocation in one WebSocket message, so the server reads
    /// them all at once (as concurrent calls of one connection). Each task fails with <see cref="HubInvocationException"/>
    /// when its call is answered with an error.
    /// </summary>
    public async Task<Task<JsonElement>[]> InvokeTogetherAsync(string method, IReadOnlyList<object?[]> calls)
    {
        var frames = new StringBuilder();
        var answers = new Task<JsonElement>[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = completion;
            answers[i] = completion.Task.WaitAsync(TimeSpan.FromSeconds(15));
            frames.Append(JsonSerializer.Serialize(new { type = 1, invocationId = id, target = method, arguments = calls[i] })).Append(RecordSeparator);
        }
        await SendRawAsync(frames.ToString());
        return answers;
    }

    /// <summary>Sends a raw frame (the record separator is added): for tests of malformed input.</summary>
    public Task SendFrameAsync(string json) => SendRawAsync(json + RecordSeparator);

    /// <summary>Sends text as it is, as one WebSocket message, with no record separator added.</summary>
    public async Task SendRawAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Waits for the next server call (in arrival order) that matches, skipping others.</summary>
    public async Task<HubEvent> NextAsync(string target, Func<HubEvent, bool>? match = null, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var next = await _arrivals.Reader.ReadAsync(cancel.Token);
                if (next.Target == target && (match is null || match(next))) return next;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {target} arrived; got: {string.Join(", ", Events.Select(e => e.Target))}");
        }
    }

    /// <summary>Every Message received so far (history and live), by id, each once.</summary>
    public IReadOnlyList<JsonElement> Messages()
    {
        var byId = new SortedDictionary<long, JsonElement>();
        foreach (var e in Events)
        {
            if (e.Target == "Message") byId[e.Argument.GetProperty("id").GetInt64()] = e.Argument;
            if (e.Target == "History")
                foreach (var m in e.Argument.EnumerateArray()) byId[m.GetProperty("id").GetInt64()] = m;
        }
        return byId.Values.ToList();
    }

    /// <summary>Waits until the messages received (history and live) satisfy a condition.</summary>
    public Task<IReadOnlyList<JsonElement>> WaitForMessagesAsync(Func<IReadOnlyList<JsonElement>, bool> done, TimeSpan? timeout = null) =>
        Wait.ForAsync(() => Messages() is var messages && done(messages) ? messages : null,
            () => $"the messages to match; have {Messages().Count} (connection closed: {Closed.IsCompleted})", timeout ?? TimeSpan.FromSeconds(15));

    private async Task ReceiveLoopAsync()
    {
        string? closeError = null;
        try
        {
            while (await ReadFrameAsync(_stop.Token) is { } frame)
            {
                using var document = JsonDocument.Parse(frame);
                var root = document.RootElement.Clone();
                switch (root.GetProperty("type").GetInt32())
                {
                    case 1:
                        var call = new HubEvent(root.GetProperty("target").GetString()!, root.GetProperty("arguments").EnumerateArray().ToArray());
                        lock (_events) _events.Add(call);
                        _arrivals.Writer.TryWrite(call);
                        break;
                    case 3:
                        var id = root.GetProperty("invocationId").GetString()!;
                        if (_pending.TryRemove(id, out var completion))
                        {
                            if (root.TryGetProperty("error", out var error)) completion.TrySetException(new HubInvocationException(error.GetString()!));
                            else completion.TrySetResult(root.TryGetProperty("result", out var result) ? result : default);
                        }
                        break;
                    case 7:
                        closeError = root.TryGetProperty("error", out var reason) ? reason.GetString() : null;
                        return;
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested || _socket.State != WebSocketState.Open)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _closed.TrySetResult(closeError);
            foreach (var pending in _pending.Values) pending.TrySetException(new HubInvocationException("connection closed"));
        }
    }

    private readonly StringBuilder _buffer = new();
    // Stateful: a character whose bytes two reads split is decoded whole, not as two U+FFFD.
    private readonly Decoder _utf8 = new UTF8Encoding(false).GetDecoder();

    /// <summary>The next frame (without its record separator), or null when the socket closes.</summary>
    private async Task<string?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var text = _buffer.ToString();
                var end = text.IndexOf(RecordSeparator);
                if (end >= 0)
                {
                    _buffer.Remove(0, end + 1);
                    return text[..end];
                }
                var received = await _socket.ReceiveAsync(chunk, cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close) return null;
                var chars = new char[_utf8.GetCharCount(chunk, 0, received.Count)];
                _utf8.GetChars(chunk, 0, received.Count, chars, 0);
                _buffer.Append(chars);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Already gone, or the server did not answer the close in time: the socket is dropped below either way.
        }
        try
        {
            // A frame the client could not read while the connection was open (the server broke the protocol) fails the test here.
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
