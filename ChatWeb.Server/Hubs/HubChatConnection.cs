using ChatWeb.Server.Chat;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ChatWeb.Server.Hubs;

/// <summary>
/// A browser tab (or script) in the room: what the hub fan-out writes to. Nothing of the room's reaches the client
/// before <see cref="Start"/>, so the history the hub sends first is followed by exactly the events after it.
/// </summary>
internal sealed partial class HubChatConnection(HubCallerContext context, string userName, IChatClient client, int sendQueueLimit, ILogger logger)
{
    private static readonly TimeSpan NoticeGrace = TimeSpan.FromMilliseconds(250);

    private readonly HubConnectionContext _connection = RoomHubLifetimeManager.ConnectionOf(context);

    // One write of room events is handed to SignalR at a time; batches that come meanwhile wait here, counted,
    // because SignalR would queue them behind a write that waits for the client to read without any limit.
    private readonly Lock _gate = new();
    private readonly Queue<(SerializedHubMessage Frames, int Events)> _waiting = new();
    private int _waitingEvents;
    // True until Start: batches wait, as they would behind a write in progress.
    private bool _writing = true;
    private bool _cutOff;
    // Set when the room closes the connection: no more room events are queued for it, and it may not post.
    private bool _closing;

    public string Id => context.ConnectionId;
    public string UserName => userName;

    /// <summary>True once the room closed it (kick, account change, shutdown) or it was cut off: it may not post any more.</summary>
    public bool IsClosing
    {
        get
        {
            lock (_gate) return _closing || _cutOff;
        }
    }

    /// <summary>From now on the room's events go out, those that came since the join first.</summary>
    public void Start() => _ = WriteWaitingAsync(ValueTask.CompletedTask);

    /// <summary>Writes a batch of room events (the same bytes for every connection). Never waits; called by the hub fan-out only.</summary>
    public void Deliver(SerializedHubMessage frames, int events)
    {
        lock (_gate)
        {
            if (_cutOff || _closing) return;
            if (_writing)
            {
                _waitingEvents += events;
                if (sendQueueLimit > 0 && _waitingEvents > sendQueueLimit)
                {
                    CutOff();
                    return;
                }
                _waiting.Enqueue((frames, events));
                return;
            }
            _writing = true;
        }

        // Nearly always the connection's pipe takes the bytes at once and the write is done here.
        var write = _connection.WriteAsync(frames);
        if (write.IsCompletedSuccessfully)
        {
            lock (_gate) _writing = false;
        }
        else
        {
            _ = WriteWaitingAsync(write);
        }
    }

    /// <summary>After a write that had to wait for the client, writes what came meanwhile, one batch at a time, until nothing waits.</summary>
    private async Task WriteWaitingAsync(ValueTask write)
    {
        try
        {
            while (true)
            {
                await write;
                SerializedHubMessage next;
                lock (_gate)
                {
                    if (_cutOff || !_waiting.TryDequeue(out var batch))
                    {
                        _writing = false;
                        return;
                    }
                    next = batch.Frames;
                    _waitingEvents -= batch.Events;
                }
                write = _connection.WriteAsync(next);
            }
        }
        catch (Exception)
        {
            // A failed write means a closed connection, which SignalR reports and cleans up itself.
            lock (_gate) _writing = false;
        }
    }

    private void CutOff()
    {
        _cutOff = true;
        _waiting.Clear();
        LogCutOff(logger, Id, userName, sendQueueLimit);
        _connection.Abort();
    }

    /// <summary>
    /// The reason is sent as a notice first; the client then sees the connection close. With
    /// <paramref name="mayReconnect"/> (the server is stopping, not throwing the user out) the close says so, and
    /// SignalR clients reconnect on their own once a server is back; without it the close looks deliberate, and the
    /// chat page does not undo a kick by reconnecting.
    /// </summary>
    public async Task CloseAsync(string reason, bool mayReconnect = false)
    {
        lock (_gate) _closing = true;
        try
        {
            await client.Notice(new Notice(NoticeLevel.Warning, reason)).WaitAsync(TimeSpan.FromSeconds(2));
            if (mayReconnect) await _connection.WriteAsync(new CloseMessage(reason, allowReconnect: true)).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            // SignalR has no graceful server-side close with a reason: Abort is immediate and can drop
            // what the transport has not sent yet, so give the notice a moment to leave first.
            await Task.Delay(NoticeGrace);
        }
        catch (Exception)
        {
            // The connection is going away anyway; telling it why is best effort.
        }
        context.Abort();
    }

    [LoggerMessage(LogLevel.Warning, "Web connection {ConnectionId} ({User}) disconnected: {Limit} messages are waiting to be sent to it; the client is not reading")]
    private static partial void LogCutOff(ILogger logger, string connectionId, string user, int limit);
}
