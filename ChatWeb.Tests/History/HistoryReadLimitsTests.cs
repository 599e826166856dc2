using System.Text.Json;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.History;

/// <summary>
/// Hub <c>History(afterId, limit)</c> against a large history: what a call may cost, and how many one
/// connection may run at once. The cost is counted in records parsed from the files, not timed.
/// </summary>
public sealed class HistoryReadLimitsTests(LargeHistoryServer server) : IClassFixture<LargeHistoryServer>
{
    // What a read may parse beyond the page it returns: the index's spacing and then some, whatever the history's size.
    private const int SeekSlack = 512;
    private const string TooManyAtOnce = "too many history requests at once: at most 2 per connection";

    /// <summary>How SignalR words a HubException to the caller: its text after a fixed preamble.</summary>
    private static string Refusal(string reason) => $"An unexpected error occurred invoking 'History' on the server. HubException: {reason}";

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MaxValue - 1)]
    [InlineData(LargeHistoryServer.LastId)]
    [InlineData(LargeHistoryServer.LastId + 1)]
    public async Task HistoryAfterTheLastIdIsEmptyAndReadsNoFile(long afterId)
    {
        await using var client = await HubTestClient.ConnectAsync(server.App, server.Token);
        var before = server.RecordsRead;

        var page = await client.InvokeAsync("History", afterId, 500);

        Assert.Equal(0, page.GetArrayLength());
        Assert.Equal(before, server.RecordsRead);
    }

    [Theory]
    [InlineData(0L, 500)]
    [InlineData(1L, 1)]
    [InlineData(49_990L, 20)]   // crosses from the first day's file into the second
    [InlineData(150_000L, 500)]
    [InlineData(179_000L, 500)]
    public async Task AnOldPageParsesOnlyAboutWhatItReturnsFromTheFiles(long afterId, int limit)
    {
        await using var client = await HubTestClient.ConnectAsync(server.App, server.Token);
        var before = server.RecordsRead;

        var page = await client.InvokeAsync("History", afterId, limit);

        var ids = page.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, limit).Select(i => afterId + i), ids);
        Assert.Equal(LargeHistoryServer.Text(afterId + 1), page[0].GetProperty("text").GetString()!.Split('\n')[0]);
        var parsed = server.RecordsRead - before;
        Assert.True(parsed <= limit + SeekSlack, $"a page of {limit} parsed {parsed} records from the files");
    }

    [Theory]
    [InlineData(-5L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public async Task NegativeAfterIdIsRefusedWithItsReason(long afterId)
    {
        await using var client = await HubTestClient.ConnectAsync(server.App, server.Token);
        var error = await Assert.ThrowsAsync<HubInvocationException>(() => client.InvokeAsync("History", afterId, 10));
        Assert.Equal(Refusal("afterId must be 0 or more"), error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(501)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public async Task LimitOutsideOneToFiveHundredIsRefusedWithItsReason(int limit)
    {
        await using var client = await HubTestClient.ConnectAsync(server.App, server.Token);
        var error = await Assert.ThrowsAsync<HubInvocationException>(() => client.InvokeAsync("History", 0L, limit));
        Assert.Equal(Refusal("limit must be between 1 and 500"), error.Message);
    }

    [Fact]
    public async Task HistoryCallsOverTheConnectionsLimitAreRefusedWhileTheOthersSucceed()
    {
        await using var client = await HubTestClient.ConnectAsync(server.App, server.Token);
        // Eight old pages asked in one WebSocket message: the server takes all eight while the first reads wait
        // for the disk. A round where the reads happen to finish one by one proves nothing, so try again (bounded).
        var refused = 0;
        var succeeded = 0;
        for (var round = 0; round < 20 && refused == 0; round++)
        {
            var calls = Enumerable.Range(0, 8).Select(i => new object?[] { 1_000L + 20_000L * i + round, 500 }).ToList();
            var answers = await client.InvokeTogetherAsync("History", calls);
            (refused, succeeded) = (0, 0);
            for (var i = 0; i < answers.Length; i++)
            {
                try
                {
                    var page = await answers[i];
                    var afterId = (long)calls[i][0]!;
                    Assert.Equal(afterId + 1, page[0].GetProperty("id").GetInt64());
                    Assert.Equal(500, page.GetArrayLength());
                    succeeded++;
                }
                catch (HubInvocationException error)
                {
                    Assert.Equal(Refusal(TooManyAtOnce), error.Message);
                    refused++;
                }
            }
        }

        Assert.True(refused > 0, "no History call was ever refused while eight ran at once");
        Assert.True(succeeded >= 2, $"only {succeeded} of 8 succeeded; 2 at a time are allowed");
        // The refused calls took no slot: the connection reads again at once.
        var after = await client.InvokeAsync("History", 42L, 3);
        Assert.Equal([43L, 44L, 45L], after.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        Assert.Equal(JsonValueKind.Array, after.ValueKind);
    }
}
