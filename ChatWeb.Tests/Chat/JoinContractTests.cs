using System.Text;
using System.Text.RegularExpressions;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Chat;

/// <summary>
/// The one join contract of both transports (docs/protocol.md): a joining connection gets the history up to a
/// position, then every event after it, in order, nothing twice, nothing missing; on the hub the History frame
/// comes before any live Message.
/// </summary>
public sealed partial class JoinContractTests() : ServerTest(new Dictionary<string, string?> { ["Chat:RatePerSecond"] = "0" })
{
    private const int Total = 1000;
    private const int JoinersPerTransport = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConnectionsThatJoinWhileAThousandMessagesAreSentSeeEachOnceInOrderOnBothTransports()
    {
        var hubTokens = new List<string>();
        var tcpTokens = new List<(string Name, string Token)>();
        for (var i = 0; i < JoinersPerTransport; i++)
        {
            hubTokens.Add(await App.SignUpAsync($"web{i}"));
            tcpTokens.Add(($"tcp{i}", await App.SignUpAsync($"tcp{i}")));
        }
        await using var sender = await TcpTestClient.ConnectAsync(App);
        await sender.RegisterAsync("sender");

        var sent = 0;
        var joinersStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sending = Task.Run(async () =>
        {
            for (var chunk = 0; chunk < Total; chunk += 5)
            {
                var lines = new StringBuilder();
                for (var i = chunk; i < chunk + 5; i++) lines.Append("m ").Append(i).Append('\n');
                await sender.SendRawAsync(Encoding.UTF8.GetBytes(lines.ToString()));
                Volatile.Write(ref sent, chunk + 5);
                if (chunk == 100) joinersStarted.TrySetResult();
                await Task.Delay(1);
            }
        });

        await joinersStarted.Task.WaitAsync(Patience);
        var hubJoiners = hubTokens.Select(token => HubTestClient.ConnectAsync(App, token)).ToList();
        var tcpJoiners = tcpTokens.Select(t => JoinOverTcpAsync(t.Name, t.Token)).ToList();
        var hubs = await Task.WhenAll(hubJoiners).WaitAsync(Patience);
        var tcps = await Task.WhenAll(tcpJoiners).WaitAsync(Patience);
        var sentWhenJoined = Volatile.Read(ref sent);
        await sending.WaitAsync(Patience);
        await sender.SendAsync("sentinel");

        foreach (var hub in hubs)
        {
            await hub.NextAsync("Message", e => e.Argument.GetProperty("text").GetString() == "sentinel", Patience);
            AssertOneRun(HubOrder(hub));
            await hub.DisposeAsync();
        }
        foreach (var (client, history) in tcps)
        {
            var live = new List<string>();
            await client.ReadUntilAsync(line => line.EndsWith(": sentinel", StringComparison.Ordinal), live, Patience);
            AssertOneRun([.. Texts(history), .. Texts(live), "sentinel"]);
            await client.DisposeAsync();
        }
        // The joins happened while the messages were being sent, not before or after.
        Assert.InRange(sentWhenJoined, 105, Total);
    }

    /// <summary>Signs in with a token and reads up to the end of the history block, which it returns.</summary>
    private async Task<(TcpTestClient Client, List<string> History)> JoinOverTcpAsync(string name, string token)
    {
        var client = await TcpTestClient.ConnectAsync(App);
        var history = new List<string>();
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync($"/resume {token}");
        await client.ExpectAsync($"Welcome back, {name}!");
        await client.ReadTokenAndHistoryAsync(history);
        return (client, history);
    }

    /// <summary>The texts a hub client got, in the order its frames arrived; History must come before any live Message.</summary>
    private static List<string> HubOrder(HubTestClient hub)
    {
        var events = hub.Events.Where(e => e.Target is "History" or "Message").ToList();
        Assert.Equal("History", events[0].Target);
        Assert.Single(events, e => e.Target == "History");
        var messages = events[0].Argument.EnumerateArray().Concat(events.Skip(1).Select(e => e.Argument)).ToList();
        var ids = messages.Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, ids.Count).Select(i => ids[0] + i), ids);
        return [.. messages.Select(m => m.GetProperty("text").GetString()!)];
    }

    /// <summary>The history and live texts form one unbroken run ending with the sentinel: every message after the first one seen, each once, in order.</summary>
    private static void AssertOneRun(List<string> texts)
    {
        Assert.Equal("sentinel", texts[^1]);
        var numbers = texts[..^1].Select(t => int.Parse(t[2..])).ToList();
        Assert.NotEmpty(numbers);
        Assert.Equal(Enumerable.Range(numbers[0], Total - numbers[0]), numbers);
    }

    private static IEnumerable<string> Texts(IEnumerable<string> lines) =>
        lines.Select(line => MessageLine().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d\] sender: (m \d+)$")]
    private static partial Regex MessageLine();
}
