using ChatWeb.Server.Chat;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatWeb.Tests.Chat;

/// <summary>A history in memory whose writes can be held back or made to fail, for the room's own tests.</summary>
internal sealed class FakeHistory : IChatHistory
{
    private readonly Lock _gate = new();
    private readonly List<ChatMessage> _stored = [];
    private TaskCompletionSource? _held;

    public long LastId { get; private set; }
    public int Writes { get; private set; }
    public Exception? NextFailure { get; set; }

    public IReadOnlyList<ChatMessage> Stored
    {
        get
        {
            lock (_gate) return [.. _stored];
        }
    }

    /// <summary>From now on writes wait until <see cref="Release"/>.</summary>
    public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _held?.TrySetResult();

    /// <summary>Completes once a write is waiting on the hold.</summary>
    public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task AppendAsync(IReadOnlyList<ChatMessage> batch, CancellationToken cancellationToken)
    {
        if (_held is { } held)
        {
            WriteStarted.TrySetResult();
            await held.Task;
        }
        if (NextFailure is { } failure)
        {
            NextFailure = null;
            throw failure;
        }
        lock (_gate)
        {
            _stored.AddRange(batch);
            Writes++;
            LastId = batch[^1].Id;
        }
    }

    public IReadOnlyList<ChatMessage> GetLast(int count)
    {
        lock (_gate) return [.. _stored.TakeLast(count)];
    }

    public ValueTask<IReadOnlyList<ChatMessage>> GetAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        lock (_gate) return ValueTask.FromResult<IReadOnlyList<ChatMessage>>([.. _stored.Where(m => m.Id > afterId).Take(limit)]);
    }

    public int CountOn(DateTime day)
    {
        lock (_gate) return _stored.Count(m => m.SentAt.Date == day.Date);
    }
}

/// <summary>A subscriber that keeps every event it is handed, with what the history held at that moment.</summary>
internal sealed class RecordingSubscriber(FakeHistory? history = null) : IRoomSubscriber
{
    private readonly Lock _gate = new();
    private readonly List<StreamEvent> _events = [];

    public List<int> Batches { get; } = [];

    /// <summary>Each message event paired with whether the history already had it when it was handed over.</summary>
    public List<(long Id, bool Stored)> Deliveries { get; } = [];

    public Action<StreamEvent>? OnEach { get; init; }

    public IReadOnlyList<StreamEvent> Events
    {
        get
        {
            lock (_gate) return [.. _events];
        }
    }

    public IEnumerable<T> Of<T>() where T : RoomEvent => Events.Select(e => e.Event).OfType<T>();

    public void OnEvents(ReadOnlySpan<StreamEvent> events)
    {
        lock (_gate)
        {
            Batches.Add(events.Length);
            foreach (var e in events)
            {
                _events.Add(e);
                if (e.Event is MessagePosted posted && history is not null)
                    Deliveries.Add((posted.Message.Id, history.Stored.Any(m => m.Id == posted.Message.Id)));
            }
        }
        foreach (var e in events) OnEach?.Invoke(e);
    }
}

/// <summary>A sequencer, its stream and presence, and the room in front of them, on a fake history; started and stopped by the test.</summary>
internal sealed class TestRoom : IAsyncDisposable
{
    public FakeHistory History { get; } = new();
    public RoomStream Stream { get; } = new(NullLogger<RoomStream>.Instance);
    public RoomPresence Presence { get; } = new();
    public RoomSequencer Sequencer { get; }
    public ChatRoom Room { get; }

    private TestRoom(ChatOptions options, TimeProvider time)
    {
        var wrapped = Options.Create(options);
        Sequencer = new RoomSequencer(History, Stream, Presence, wrapped, time, NullLogger<RoomSequencer>.Instance);
        Room = new ChatRoom(Sequencer, Presence, History, new UserRateLimiter(wrapped, TimeProvider.System), wrapped);
    }

    public static async Task<TestRoom> StartAsync(ChatOptions? options = null, TimeProvider? time = null)
    {
        var room = new TestRoom(options ?? new ChatOptions { RatePerSecond = 0, HistoryOnJoin = 50 }, time ?? TimeProvider.System);
        await room.Sequencer.StartAsync(CancellationToken.None);
        return room;
    }

    public static RoomMember Member(string id, string user, MessageSource via = MessageSource.Web) => new(id, user, via);

    public async ValueTask DisposeAsync()
    {
        History.Release();
        await Sequencer.StopAsync(CancellationToken.None);
        Sequencer.Dispose();
    }
}

/// <summary>A clock that moves an hour on every reading: any two readings are far apart, and a few cross midnight.</summary>
internal sealed class HourPerReadingClock(DateTimeOffset start) : TimeProvider
{
    private int _readings;

    public override DateTimeOffset GetUtcNow() => start.AddHours(Interlocked.Increment(ref _readings));
}
