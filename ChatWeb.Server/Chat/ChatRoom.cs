using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Chat;

/// <summary>
/// The one room. Every post, join, leave and notice goes through a single dispatcher, which gives
/// messages their ids, has the history store them, and only then fans them out and answers the
/// sender. So all clients see one order, and nobody sees a message that is not stored.
/// </summary>
public sealed partial class ChatRoom(
    IChatHistory history,
    IEnumerable<IRoomObserver> observers,
    ConnectionRegistry registry,
    UserRateLimiter rateLimiter,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<ChatRoom> logger) : BackgroundService
{
    public const int MaxHistoryPage = 500;

    // Bounded so that a storage stall pushes back on senders instead of growing without limit.
    private const int QueueCapacity = 8192;
    private const int MaxBatch = 512;

    private readonly Channel<Work> _queue = Channel.CreateBounded<Work>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IRoomObserver[] _observers = observers.ToArray();
    private long _lastId;
    private volatile bool _storageFailing;

    /// <summary>False while the last history write failed; senders are refused until a write works again.</summary>
    public bool IsStorageHealthy => !_storageFailing;

    public ConnectionRegistry Connections => registry;

    /// <summary>Posts a line for <paramref name="user"/>; completes once it is stored and fanned out, or refused.</summary>
    public async Task<PostResult> PostAsync(string user, string text, MessageSource source, string? originConnectionId = null, CancellationToken cancellationToken = default)
    {
        // Stripped before trimming, so a post of controls and spaces is as empty as a post of spaces.
        text = BidiControls.Strip(text).Trim();
        if (text.Length == 0) return PostResult.Ignored;

        var max = options.Value.MaxMessageLength;
        if (max > 0 && text.Length > max)
            return PostResult.Refused($"message too long ({text.Length} characters, max {max})");
        if (!rateLimiter.TryTake(user))
            return PostResult.Refused("too many messages, slow down");

        var post = new PostWork(user, text, source, originConnectionId);
        if (!await TryEnqueueAsync(post, cancellationToken))
            return PostResult.Refused("the server is shutting down");
        return await post.Done.Task;
    }

    /// <summary>
    /// Registers a connection and returns the recent history, taken at the exact point from which
    /// the connection receives live traffic: nothing is missed and nothing is sent twice.
    /// </summary>
    public async Task<IReadOnlyList<ChatMessage>> JoinAsync(IChatConnection connection, CancellationToken cancellationToken = default)
    {
        var join = new JoinWork(connection);
        if (!await TryEnqueueAsync(join, cancellationToken))
            throw new InvalidOperationException("the server is shutting down");
        return await join.Done.Task;
    }

    /// <summary>Unregisters a connection; the user is announced as gone when it was their last one.</summary>
    public async Task LeaveAsync(IChatConnection connection)
    {
        var leave = new LeaveWork(connection);
        if (await TryEnqueueAsync(leave, CancellationToken.None))
            await leave.Done.Task;
        else
            registry.Remove(connection);
    }

    /// <summary>Sends a server notice to everybody in the room.</summary>
    public void Announce(Notice notice) => _queue.Writer.TryWrite(new NoticeWork(notice));

    public IReadOnlyList<OnlineUser> Who() => registry.Online();

    /// <summary>Messages after <paramref name="afterId"/>, oldest first, at most <see cref="MaxHistoryPage"/>: for the server's own use.</summary>
    public ValueTask<IReadOnlyList<ChatMessage>> HistoryAfterAsync(long afterId, int limit, CancellationToken cancellationToken = default) =>
        history.GetAfterAsync(Math.Max(0, afterId), Math.Clamp(limit, 1, MaxHistoryPage), cancellationToken);

    /// <summary>History reads on behalf of one client connection, checked and limited (see <see cref="HistoryReader"/>); one per connection.</summary>
    public HistoryReader NewHistoryReader() => new(history, options.Value.MaxHistoryReadsPerConnection);

    private async ValueTask<bool> TryEnqueueAsync(Work work, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(work, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Loaded here, before the server listens, so an unreadable history stops start-up.
        await history.LoadAsync(cancellationToken);
        _lastId = history.LastId;
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking work, then let the dispatcher store and deliver what is already queued.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<Work>(MaxBatch);
        var posts = new List<PostWork>(MaxBatch);
        var joins = new List<(JoinWork Join, IReadOnlyList<ChatMessage> Recent)>();

        // Not cancelled by stoppingToken: the loop ends when StopAsync completes the queue and it is drained.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var work)) batch.Add(work);

            foreach (var work in batch)
            {
                if (work is PostWork post)
                {
                    posts.Add(post);
                    continue;
                }
                await CommitAsync(posts);
                Handle(work, joins);
            }
            await CommitAsync(posts);
            batch.Clear();
            // Everything this batch produced leaves now, one write per connection, whatever the batch held.
            Notify(0, static (observer, _) => observer.Flush());
            // A join is answered once its batch has left: the joiner's own transport then sends the history
            // after the events that were already on their way to it (its own join notice first of all).
            foreach (var (join, recent) in joins) join.Done.TrySetResult(recent);
            joins.Clear();
        }
    }

    private async Task CommitAsync(List<PostWork> posts)
    {
        if (posts.Count == 0) return;
        var messages = new ChatMessage[posts.Count];
        for (var i = 0; i < posts.Count; i++)
        {
            // Ids are never reused, even when the write below fails: a failed write may have left part of a batch on disk.
            messages[i] = new ChatMessage(++_lastId, posts[i].User, posts[i].Text, UtcNowMilliseconds(), posts[i].Source);
        }

        try
        {
            await history.AppendAsync(messages, CancellationToken.None);
            if (_storageFailing)
            {
                _storageFailing = false;
                LogStorageRecovered(logger);
            }
        }
        catch (Exception ex)
        {
            // Logged once per failure burst, not once per message.
            if (!_storageFailing) LogStorageFailed(logger, ex);
            _storageFailing = true;
            foreach (var post in posts)
                post.Done.TrySetResult(PostResult.Refused("the server could not store your message, so it was not sent; try again later"));
            posts.Clear();
            return;
        }

        for (var i = 0; i < messages.Length; i++)
            Notify((Message: messages[i], Origin: posts[i].OriginConnectionId), static (observer, post) => observer.OnMessage(post.Message, post.Origin));
        for (var i = 0; i < messages.Length; i++)
            posts[i].Done.TrySetResult(PostResult.Accepted(messages[i]));
        posts.Clear();
    }

    private void Handle(Work work, List<(JoinWork Join, IReadOnlyList<ChatMessage> Recent)> joins)
    {
        switch (work)
        {
            case JoinWork join:
                var first = registry.Add(join.Connection);
                var recent = history.GetLast(options.Value.HistoryOnJoin);
                if (first && registry.Find(join.Connection.UserName) is { } user)
                    Notify(user, static (observer, joined) => observer.OnUserJoined(joined));
                joins.Add((join, recent));
                break;
            case LeaveWork leave:
                if (registry.Remove(leave.Connection))
                    Notify(new OnlineUser(leave.Connection.UserName, []), static (observer, left) => observer.OnUserLeft(left));
                leave.Done.TrySetResult();
                break;
            case NoticeWork notice:
                Notify(notice.Notice, static (observer, text) => observer.OnNotice(text));
                break;
        }
    }

    // The event travels as an argument, so the static lambdas above allocate nothing per message.
    private void Notify<TEvent>(TEvent item, Action<IRoomObserver, TEvent> action)
    {
        foreach (var observer in _observers)
        {
            try
            {
                action(observer, item);
            }
            catch (Exception ex)
            {
                // One broken transport must not stop the room for the others.
                LogObserverFailed(logger, observer.GetType().Name, ex);
            }
        }
    }

    private DateTime UtcNowMilliseconds()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    private abstract record Work;

    private sealed record PostWork(string User, string Text, MessageSource Source, string? OriginConnectionId) : Work
    {
        public TaskCompletionSource<PostResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record JoinWork(IChatConnection Connection) : Work
    {
        public TaskCompletionSource<IReadOnlyList<ChatMessage>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record LeaveWork(IChatConnection Connection) : Work
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record NoticeWork(Notice Notice) : Work;

    [LoggerMessage(LogLevel.Error, "History could not be written; messages are refused until it can")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "History is writable again; messages are accepted")]
    private static partial void LogStorageRecovered(ILogger logger);

    [LoggerMessage(LogLevel.Error, "Fan-out to {Observer} failed")]
    private static partial void LogObserverFailed(ILogger logger, string observer, Exception exception);
}
