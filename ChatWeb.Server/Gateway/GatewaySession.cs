using ChatWeb.Server.Hosting;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using ChatWeb.Server.Accounts;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Gateway;

/// <summary>
/// One TCP client, from accept to close, in its own task: sign-in, history, then the chat loop.
/// Once signed in it is a member of the room (via tcp), so presence, notices, kicks and the shutdown reach it.
/// </summary>
internal sealed partial class GatewaySession(Socket socket, string id, GatewayServices services)
{
    // How long a closing session may take to hand its last lines (a goodbye, a reason) to the client.
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    private static readonly StreamPipeReaderOptions ReaderOptions = new(useZeroByteReads: true);

    private readonly GatewayOptions _options = services.Options.Value;
    private readonly SessionOutput _output = new(socket, services.Options.Value.SendQueueLimit);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _endReason;
    private int _overflowed;
    private RoomMember? _member;
    private bool _inRoom;
    // Whether this connection's own lines are logged before it signs in (see UnauthenticatedConnectionLog).
    private bool _logged;

    public string Id => id;
    public string UserName => _member?.UserName ?? "";
    // An IPv4 client of a dual-mode socket counts as its IPv4 address, for the caps, the sign-in budget and the stored last IP.
    public IPAddress RemoteAddress { get; } = ConnectionsPerIp.KeyOf((socket.RemoteEndPoint as IPEndPoint)?.Address);

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _closing.Token);
        var started = services.Time.GetTimestamp();
        // Zero-byte reads: an idle client holds no receive buffer; one is rented only when bytes have arrived.
        var reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: false), ReaderOptions);
        _logged = services.UnauthenticatedLog.ShouldLog();
        if (_logged) LogStarted(services.Logger, id, MaskedAddress.Of(RemoteAddress));
        try
        {
            var input = new LineReader(reader, _options.MaxLineBytes);
            if (await EnterAsync(input, stop.Token)) await ChatAsync(input, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _endReason ??= serverStopping.IsCancellationRequested ? "server stopping" : "closed";
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            _endReason ??= "connection lost";
        }
        catch (Exception ex)
        {
            _endReason ??= "server error";
            LogFailed(services.Logger, id, ex);
        }
        finally
        {
            if (_inRoom) await services.Room.LeaveAsync(_member!);
            await _output.CompleteAsync(DrainTime);
            await reader.CompleteAsync();
            CloseSocket();
            if (_logged || UserName.Length > 0) LogStopped(services.Logger, id, UserName.Length > 0 ? UserName : "-", _endReason ?? "client left", services.Time.GetElapsedTime(started).TotalSeconds);
            _ended.TrySetResult();
        }
    }

    /// <summary>
    /// Sign-in, welcome, token and history; true once the session is in the room. Its own method so that
    /// what only the way in needs (the account, the token, the history) is not kept for the session's life.
    /// </summary>
    private async Task<bool> EnterAsync(LineReader input, CancellationToken stop)
    {
        var signIn = await SignInAsync(input, stop);
        if (signIn.User is not { } user)
        {
            _endReason ??= signIn.Outcome;
            return false;
        }
        _member = new RoomMember(id, user.UserName, MessageSource.Tcp);
        if (services.Admission.IsPaused)
        {
            await _output.WriteAsync(WireText.Paused, stop);
            _endReason ??= "server paused";
            return false;
        }

        var token = services.SignIn.IssueSessionToken(user);
        await _output.WriteAsync([WireText.Welcome(UserName, signIn.Returning), WireText.SessionToken(token)], stop);

        // The room's events after the join's position queue up until the history up to it is written: one order, no gap.
        RoomJoin join;
        try
        {
            join = await services.Room.JoinAsync(_member, stop);
        }
        catch (RoomClosedException)
        {
            await _output.WriteAsync(WireText.Error(RoomText.ShuttingDown), stop);
            _endReason ??= "server stopping";
            return false;
        }
        _inRoom = true;
        // Checked again once in the room: an account changed after the sign-in, before the room knew this session,
        // was missed by the revocation that went with the change.
        if (!services.SignIn.IsStillCurrent(user))
        {
            _endReason = "account changed while signing in";
            await _output.WriteAsync(WireText.Error("your account changed while you signed in; sign in again"), stop);
            return false;
        }
        var zone = services.Time.LocalTimeZone;
        var recent = join.Recent;
        await _output.WriteAsync([WireText.HistoryHeader(recent.Count), .. recent.Select(m => WireText.Message(m, zone)), WireText.HistoryFooter], stop);
        _output.StartQueue();
        return true;
    }

    /// <summary>Sends what <see cref="Deliver"/> queued since the last flush, in one write. Never waits.</summary>
    public void Flush() => _output.Flush();

    /// <summary>Queues a line for every TCP session, encoded once by the caller; it leaves at the next flush. Never waits.</summary>
    public void Deliver(byte[] line)
    {
        if (!_output.TryEnqueue(line) && !_output.IsClosed) Overflow();
    }

    /// <summary>Writes <c>! reason</c> after what is already queued, then closes.</summary>
    public async Task CloseAsync(string reason)
    {
        _endReason ??= reason;
        _output.EnqueueLast(WireText.Encode(WireText.Error(reason)));
        await _closing.CancelAsync();
        try
        {
            await _ended.Task.WaitAsync(CloseWait);
        }
        catch (TimeoutException)
        {
            socket.Dispose();
        }
    }

    private async Task<SignInResult> SignInAsync(LineReader input, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (_options.LoginTimeoutSeconds > 0) deadline.CancelAfter(TimeSpan.FromSeconds(_options.LoginTimeoutSeconds));
        try
        {
            return await services.SignIn.RunAsync(input, _output, RemoteAddress, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            if (_logged) LogLoginTimedOut(services.Logger, id, _options.LoginTimeoutSeconds);
            await _output.WriteAsync(WireText.LoginTimedOut(_options.LoginTimeoutSeconds), stop);
            return SignInResult.Ended("sign-in timed out");
        }
    }

    private async Task ChatAsync(LineReader input, CancellationToken stop)
    {
        // Lines already read are posted without waiting for the room's answer to the one before: a burst of
        // lines becomes one commit of the room (and one write per session) instead of one round trip per line.
        // The room keeps their order, and the answers (refusals) are written in that order, before anything else.
        var posted = new Queue<Task<PostResult>>();
        while (true)
        {
            var next = input.ReadLineAsync(stop);
            // Nothing more has arrived: answer what is in flight before waiting for the client.
            if (!next.IsCompleted) await AnswerAsync(posted, inFlight: 0, stop);
            var read = await next;
            if (read.Kind == InputKind.Line && IsMessage(read.Text))
            {
                // No echo: the fan-out skips the session a message came from.
                posted.Enqueue(services.Room.PostAsync(_member!, read.Text, stop));
                await AnswerAsync(posted, inFlight: ChatRoom.MaxPostsInFlight, stop);
                continue;
            }

            await AnswerAsync(posted, inFlight: 0, stop);
            if (read.Kind == InputKind.End)
            {
                _endReason ??= "client disconnected";
                return;
            }
            if (read.Kind == InputKind.TooLong)
            {
                await _output.ReplyAsync(WireText.LineTooLong(_options.MaxLineBytes), stop);
                continue;
            }

            var text = read.Text.Trim();
            if (text.Length == 0) continue;
            if (SignInDialog.IsExit(text))
            {
                await _output.ReplyAsync(WireText.Bye, stop);
                _endReason ??= "client said exit";
                return;
            }
            foreach (var line in RunCommand(text)) await _output.ReplyAsync(line, stop);
        }
    }

    /// <summary>A line for the room: not blank, not a command, not <c>exit</c>.</summary>
    private static bool IsMessage(string line)
    {
        // Trim returns the same string when there is nothing to trim: no allocation per line.
        var text = line.Trim();
        return text.Length > 0 && text[0] != '/' && !SignInDialog.IsExit(text);
    }

    /// <summary>Waits for the oldest posts until at most <paramref name="inFlight"/> remain, answering each refusal.</summary>
    private async Task AnswerAsync(Queue<Task<PostResult>> posted, int inFlight, CancellationToken stop)
    {
        while (posted.Count > inFlight)
        {
            var result = await posted.Dequeue();
            if (result.Error is { } reason) await _output.ReplyAsync(WireText.Error(reason), stop);
        }
    }

    private IEnumerable<string> RunCommand(string text)
    {
        var command = text.Split(' ', 2)[0].ToLowerInvariant();
        return command switch
        {
            "/who" => WireText.Who(services.Room.Who()),
            "/help" => WireText.Help,
            "/resume" => [WireText.AlreadySignedIn],
            _ => [WireText.UnknownCommand(command)],
        };
    }

    /// <summary>The client lets its queue fill: it is cut off, and nobody else waits for it.</summary>
    private void Overflow()
    {
        if (Interlocked.Exchange(ref _overflowed, 1) != 0) return;
        _endReason ??= $"send queue full ({_options.SendQueueLimit} lines waiting); the client is not reading";
        LogQueueFull(services.Logger, id, UserName, _options.SendQueueLimit);
        // Off the caller's thread: this may be the room's fan-out, which must never wait on a socket.
        ThreadPool.QueueUserWorkItem(static session => session.Abort(), this, preferLocal: false);
    }

    /// <summary>Ends the stream with a FIN after the last line, then lets the socket go.</summary>
    private void CloseSocket()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already reset or aborted.
        }
        socket.Dispose();
    }

    private void Abort()
    {
        _closing.Cancel();
        // Ends a write that is stuck because the client does not read.
        socket.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "TCP connection {ConnectionId} from {Remote} opened")]
    private static partial void LogStarted(ILogger logger, string connectionId, string remote);

    [LoggerMessage(LogLevel.Information, "TCP connection {ConnectionId} ({User}) closed after {Seconds:0.0} s: {Reason}")]
    private static partial void LogStopped(ILogger logger, string connectionId, string user, string reason, double seconds);

    [LoggerMessage(LogLevel.Information, "TCP connection {ConnectionId} did not sign in within {Seconds} s")]
    private static partial void LogLoginTimedOut(ILogger logger, string connectionId, int seconds);

    [LoggerMessage(LogLevel.Warning, "TCP connection {ConnectionId} ({User}) disconnected: its send queue is full ({Limit} lines); the client is not reading")]
    private static partial void LogQueueFull(ILogger logger, string connectionId, string user, int limit);

    [LoggerMessage(LogLevel.Error, "TCP connection {ConnectionId} failed")]
    private static partial void LogFailed(ILogger logger, string connectionId, Exception exception);
}
