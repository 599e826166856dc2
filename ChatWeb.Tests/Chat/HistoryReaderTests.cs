using ChatWeb.Server.Chat;

namespace ChatWeb.Tests.Chat;

/// <summary>The per-connection limit on history reads, with a store whose reads the test holds open.</summary>
public sealed class HistoryReaderTests
{
    [Fact]
    public async Task AReadOverTheLimitIsRefusedAtOnceAndASlotFreesWhenAReadEnds()
    {
        var store = new HeldHistory();
        var reader = new HistoryReader(store, maxAtOnce: 2);

        var first = reader.AfterAsync(1, 10, CancellationToken.None);
        var second = reader.AfterAsync(2, 10, CancellationToken.None);
        var third = reader.AfterAsync(3, 10, CancellationToken.None);

        // Refused without waiting for the two reads that hold the slots, and without asking the store.
        Assert.True(third.IsCompleted);
        Assert.Equal("too many history requests at once: at most 2 per connection", (await third).Error);
        Assert.Equal(2, store.Started);

        store.Release();
        Assert.Null((await first).Error);
        Assert.Null((await second).Error);
        var again = await reader.AfterAsync(4, 10, CancellationToken.None);
        Assert.Null(again.Error);
        Assert.Equal(3, store.Started);
    }

    [Fact]
    public async Task ZeroTurnsTheLimitOff()
    {
        var store = new HeldHistory();
        var reader = new HistoryReader(store, maxAtOnce: 0);
        var reads = Enumerable.Range(1, 10).Select(i => reader.AfterAsync(i, 10, CancellationToken.None)).ToList();
        Assert.Equal(10, store.Started);
        store.Release();
        Assert.All(await Task.WhenAll(reads), page => Assert.Null(page.Error));
    }

    /// <summary>A store of 1,000 messages whose reads wait until the test releases them.</summary>
    private sealed class HeldHistory : IChatHistory
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        public int Started => Volatile.Read(ref _started);
        public long LastId => 1_000;

        public void Release() => _release.TrySetResult();

        public async ValueTask<IReadOnlyList<ChatMessage>> GetAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            await _release.Task;
            return [new ChatMessage(afterId + 1, "alice", "held", DateTime.UtcNow, MessageSource.Web)];
        }

        public Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task AppendAsync(IReadOnlyList<ChatMessage> batch, CancellationToken cancellationToken) => Task.CompletedTask;
        public IReadOnlyList<ChatMessage> GetLast(int count) => [];
        public int CountOn(DateTime utcDay) => 0;
    }
}
