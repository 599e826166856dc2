using ChatWeb.Server.Chat;
using ChatWeb.Server.History;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatWeb.Tests.History;

/// <summary>The store itself, on real files: pages of what the writer appended since start-up seek through the index too.</summary>
public sealed class HistoryIndexTests : IDisposable
{
    // More than the store keeps in memory (the newest 10,000 to 20,000), in batches of the room's size,
    // with a midnight after id 5,000 so that a page can cross from one day file into the next.
    private const int Count = 30_000;
    private const int LastBeforeMidnight = 5_000;
    private const int Batch = 512;
    private const int SeekSlack = 512;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(0L, 500)]
    [InlineData(1_000L, 10)]
    [InlineData(4_990L, 20)]    // across the midnight
    [InlineData(4_999L, 1)]
    [InlineData(5_000L, 1)]
    [InlineData(9_000L, 500)]
    public async Task PagesOfAppendedMessagesParseOnlyAboutWhatTheyReturn(long afterId, int limit)
    {
        using var history = await AppendedHistoryAsync();
        var before = history.RecordsReadForQueries;

        var page = await history.GetAfterAsync(afterId, limit, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, limit).Select(i => afterId + i), page.Select(m => m.Id));
        Assert.Equal($"appended {afterId + 1}", page[0].Text);
        var parsed = history.RecordsReadForQueries - before;
        Assert.True(parsed <= limit + SeekSlack, $"a page of {limit} parsed {parsed} records");
    }

    [Fact]
    public async Task APageAfterARestartReadsTheSameAsBefore()
    {
        IReadOnlyList<ChatMessage> before;
        using (var history = await AppendedHistoryAsync()) before = await history.GetAfterAsync(4_321, 300, CancellationToken.None);

        using var restarted = NewHistory();
        await restarted.LoadAsync(CancellationToken.None);
        var after = await restarted.GetAfterAsync(4_321, 300, CancellationToken.None);

        Assert.Equal(before, after);
    }

    [Fact]
    public async Task AfterIdAtOrPastTheLastIdIsEmptyWithoutReading()
    {
        using var history = await AppendedHistoryAsync();
        foreach (var afterId in new[] { Count, Count + 1L, long.MaxValue - 1, long.MaxValue })
            Assert.Empty(await history.GetAfterAsync(afterId, 500, CancellationToken.None));
        Assert.Equal(0, history.RecordsReadForQueries);
    }

    [Fact]
    public async Task PagesReadFromTheFilesWhileTheWriterAppendsAreWholeAndInOrder()
    {
        const int AppendedWhileReading = 40 * Batch;
        using var history = await AppendedHistoryAsync();
        var writing = Task.Run(async () =>
        {
            var midnight = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
            for (var first = Count + 1; first <= Count + AppendedWhileReading; first += Batch)
            {
                var batch = Enumerable.Range(first, Batch)
                    .Select(id => new ChatMessage(id, "bob", $"appended {id}", midnight.AddSeconds(id), MessageSource.Web)).ToList();
                await history.AppendAsync(batch, CancellationToken.None);
            }
        });

        // Old pages, read while the index grows: each one is the next ids, exactly, and parses about what it returns.
        long afterId = 0;
        for (var read = 0; read < 200 && (read < 20 || !writing.IsCompleted); read++)
        {
            var before = history.RecordsReadForQueries;
            var page = await history.GetAfterAsync(afterId % 9_000, 100, CancellationToken.None);
            Assert.Equal(Enumerable.Range(1, 100).Select(i => afterId % 9_000 + i), page.Select(m => m.Id));
            Assert.True(history.RecordsReadForQueries - before <= 100 + SeekSlack);
            afterId += 97;
        }
        await writing;
        Assert.Equal(Count + AppendedWhileReading, history.LastId);
    }

    private CsvChatHistory NewHistory() =>
        new(new DataDirectory(_directory.Path), Options.Create(new HistoryOptions()), NullLogger<CsvChatHistory>.Instance);

    private async Task<CsvChatHistory> AppendedHistoryAsync()
    {
        var history = NewHistory();
        await history.LoadAsync(CancellationToken.None);
        var midnight = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
        for (var first = 1; first <= Count; first += Batch)
        {
            var batch = Enumerable.Range(first, Math.Min(Batch, Count - first + 1))
                .Select(id => new ChatMessage(id, "alice", $"appended {id}", midnight.AddSeconds(id - LastBeforeMidnight - 1), MessageSource.Web))
                .ToList();
            await history.AppendAsync(batch, CancellationToken.None);
        }
        return history;
    }
}
