namespace ChatWeb.Server.Chat;

/// <summary>
/// One client connection's reads of the room's history (each transport keeps one per connection). The arguments
/// are checked here, so every transport refuses alike, and only a few reads of one connection run at once:
/// more are refused at once rather than queued, so a client cannot pile up reads that keep the disk and the
/// cores busy for everyone else. What one read may cost is bounded by the store (<see cref="IChatHistory.GetAfterAsync"/>).
/// </summary>
public sealed class HistoryReader(IChatHistory history, int maxAtOnce)
{
    private int _running;

    /// <summary>Messages after <paramref name="afterId"/> (0 = from the start), oldest first, at most <paramref name="limit"/> (1-500).</summary>
    public async Task<HistoryPage> AfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        // Refused rather than read as 0: a negative id is a client bug, and saying so finds it sooner.
        if (afterId < 0) return HistoryPage.Refused("afterId must be 0 or more");
        if (limit is < 1 or > ChatRoom.MaxHistoryPage) return HistoryPage.Refused($"limit must be between 1 and {ChatRoom.MaxHistoryPage}");
        // Nothing is newer than the newest id: answered without taking a slot or asking the store.
        if (afterId >= history.LastId) return HistoryPage.Empty;

        if (maxAtOnce > 0 && Interlocked.Increment(ref _running) > maxAtOnce)
        {
            Interlocked.Decrement(ref _running);
            return HistoryPage.Refused($"too many history requests at once: at most {maxAtOnce} per connection");
        }
        try
        {
            return HistoryPage.Of(await history.GetAfterAsync(afterId, limit, cancellationToken));
        }
        finally
        {
            if (maxAtOnce > 0) Interlocked.Decrement(ref _running);
        }
    }
}

/// <summary>A page of history, or the reason it was refused.</summary>
public sealed record HistoryPage(IReadOnlyList<ChatMessage> Messages, string? Error)
{
    public static readonly HistoryPage Empty = new([], null);

    public static HistoryPage Of(IReadOnlyList<ChatMessage> messages) => new(messages, null);

    public static HistoryPage Refused(string reason) => new([], reason);
}
