using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Chat;

/// <summary>
/// The sequencer of a single-node room: one queue, one loop. Each turn takes what is queued (up to
/// <see cref="MaxBatch"/>), gives the messages their ids and has the history store them in one write, numbers every
/// event, hands the whole commit to the stream, and only then answers the callers. So every connection sees one
/// order, and nobody sees or is told of a message that is not stored.
/// </summary>
public sealed partial class RoomSequencer(
    IChatHistory history,
    RoomStream stream,
    RoomPresence presence,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<RoomSequencer> logger) : BackgroundService, IRoomSequencer
{
    // Bounded so that a storage stall pushes back on senders instead of growing without limit.
    private const int QueueCapacity = 8192;
    private const int MaxBatch = 512;

    private readonly Channel<Work> _queue = Channel.CreateBounded<Work>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly RoomCommit _commit = new(MaxBatch);
    private long _lastId;
    private bool _closed;
    private volatile bool _storageFailing;

    public bool IsStorageHealthy => !_storageFailing;

    public async Task<PostResult> PostAsync(RoomMember from, string text, CancellationToken cancellationToken)
    {
        var post = new PostWork(from, text);
        return await TryEnqueueAsync(post, cancellationToken) ? await post.Done.Task : PostResult.Refused(RoomText.ShuttingDown);
    }

    public async Task<RoomJoin> JoinAsync(RoomMember member, CancellationToken cancellationToken)
    {
        var join = new JoinWork(member);
        if (!await TryEnqueueAsync(join, cancellationToken)) throw new RoomClosedException();
        return await join.Done.Task;
    }

    public async Task LeaveAsync(RoomMember member)
    {
        var leave = new LeaveWork(member);
        if (await TryEnqueueAsync(leave, CancellationToken.None)) await leave.Done.Task;
    }

    public async Task<bool> PublishAsync(RoomEvent @event)
    {
        var publish = new PublishWork(@event);
        return await TryEnqueueAsync(publish, CancellationToken.None) && await publish.Done.Task;
    }

    private async ValueTask<bool> TryEnqueueAsync(Work work, CancellationToken cancellationToken)
    {
        try
        {
            // Waits while the queue is full: nothing handed to the room is ever dropped.
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
        // Stop taking work, then let the loop store and publish what is already queued.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<Work>(MaxBatch);
        // Not cancelled by stoppingToken: the loop ends when StopAsync completes the queue and it is drained.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var work)) batch.Add(work);
            _commit.Start(stream.NextPosition);
            var stored = await StoreAsync(batch);
            Sequence(batch, stored);
            stream.Publish(_commit.Events);
            foreach (var work in batch) work.Answer();
            batch.Clear();
            _commit.Clear();
        }
    }

    /// <summary>Gives the batch's posts their ids and stores them in one write; how many were stored (all or none).</summary>
    private async Task<int> StoreAsync(List<Work> batch)
    {
        var messages = _commit.Messages;
        // One time for the whole turn: a turn is then one day, one file and one write, so a failed write can never
        // leave the first part of a turn that crossed midnight stored while its senders are told it was not.
        var now = UtcNowMilliseconds();
        foreach (var work in batch)
        {
            // Ids are never reused, even when the write fails: a failed write may have left part of a batch on disk.
            if (work is PostWork post && !_closed)
                messages.Add(post.Message = new ChatMessage(++_lastId, post.From.UserName, post.Text, now, post.From.Via));
        }
        if (messages.Count == 0) return 0;
        try
        {
            await history.AppendAsync(messages, CancellationToken.None);
            if (_storageFailing)
            {
                _storageFailing = false;
                LogStorageRecovered(logger);
            }
            return messages.Count;
        }
        catch (Exception ex)
        {
            // Logged once per failure burst, not once per message.
            if (!_storageFailing) LogStorageFailed(logger, ex);
            _storageFailing = true;
            return 0;
        }
    }

    /// <summary>Puts the batch's events in order, with their positions, and works out each caller's answer.</summary>
    private void Sequence(List<Work> batch, int stored)
    {
        var storedBefore = 0;
        foreach (var work in batch)
        {
            switch (work)
            {
                case PostWork post:
                    if (post.Message is null) post.Result = PostResult.Refused(RoomText.ShuttingDown);
                    else if (stored == 0) post.Result = PostResult.Refused(RoomText.NotStored);
                    else
                    {
                        _commit.Add(new MessagePosted(post.Message, post.From.Id));
                        post.Result = PostResult.Accepted(post.Message);
                        storedBefore++;
                    }
                    break;
                case JoinWork when _closed:
                    // Unanswered: the joiner is told the room is closed.
                    break;
                case JoinWork join:
                    var (user, first) = presence.Add(join.Member);
                    var position = _commit.Add(new MemberJoined(join.Member, user, first));
                    join.Result = new RoomJoin(position, RecentBefore(stored - storedBefore), presence.Online());
                    break;
                case LeaveWork leave:
                    if (presence.Remove(leave.Member) is var (left, last)) _commit.Add(new MemberLeft(leave.Member, left, last));
                    break;
                case PublishWork publish:
                    publish.Published = !_closed;
                    if (!publish.Published) break;
                    _commit.Add(publish.Event);
                    _closed = publish.Event is RoomClosing;
                    break;
            }
        }
    }

    /// <summary>The recent history as it stood before the batch's last <paramref name="storedAfter"/> messages.</summary>
    private IReadOnlyList<ChatMessage> RecentBefore(int storedAfter)
    {
        var count = options.Value.HistoryOnJoin;
        var last = history.GetLast(count + storedAfter);
        return storedAfter == 0 ? last : [.. last.Take(last.Count - storedAfter).TakeLast(count)];
    }

    private DateTime UtcNowMilliseconds()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    [LoggerMessage(LogLevel.Error, "History could not be written; messages are refused until it can")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Information, "History is writable again; messages are accepted")]
    private static partial void LogStorageRecovered(ILogger logger);
}
