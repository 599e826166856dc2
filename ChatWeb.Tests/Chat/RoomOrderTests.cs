using System.Text.Json;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Chat;

public sealed class RoomOrderTests : ServerTest
{

    [Fact]
    public async Task ConcurrentSendersAreSeenInOneOrderByEveryClientAndInTheHistoryFiles()
    {
        const int perUser = 200;
        string[] names = ["alice", "bob", "carol"];
        var clients = new List<HubTestClient>();
        foreach (var name in names) clients.Add(await HubTestClient.ConnectAsync(App, await App.SignUpAsync(name)));
        foreach (var client in clients) await client.NextAsync("Users");

        await Task.WhenAll(clients.Select((client, n) => Task.Run(async () =>
        {
            for (var i = 0; i < perUser; i++) await client.InvokeAsync("Send", $"{names[n]} {i}");
        })));

        var orders = new List<List<long>>();
        foreach (var client in clients)
        {
            var live = await WaitForLiveAsync(client, names.Length * perUser);
            orders.Add(live.Select(m => m.GetProperty("id").GetInt64()).ToList());
            // Each sender's own lines keep their order too.
            foreach (var name in names)
            {
                var own = live.Where(m => m.GetProperty("user").GetString() == name).Select(m => m.GetProperty("text").GetString()).ToList();
                Assert.Equal(Enumerable.Range(0, perUser).Select(i => $"{name} {i}"), own);
            }
        }
        Assert.All(orders, order => Assert.Equal(orders[0], order));
        Assert.Equal(orders[0].Order(), orders[0]);

        var file = Directory.GetFiles(Path.Combine(App.DataDirectory, "history"), "history-*.csv").Single();
        var lines = File.ReadAllLines(file);
        Assert.Equal("Id,SentAt,User,Source,Text", lines[0]);
        Assert.Equal(orders[0], lines.Skip(1).Select(l => long.Parse(l.Split(',')[0])));

        foreach (var client in clients) await client.DisposeAsync();
    }

    private static async Task<List<JsonElement>> WaitForLiveAsync(HubTestClient client, int count)
    {
        List<JsonElement> Live() => [.. client.Events.Where(e => e.Target == "Message").Select(e => e.Argument)];
        await Wait.UntilAsync(() => Live().Count >= count, () => $"{Live().Count} of {count} messages arrived", TimeSpan.FromSeconds(30));
        return Live();
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("'quoted")]
    [InlineData("+cmd")]
    [InlineData("-2")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tindent")]
    [InlineData("''two quotes")]
    [InlineData("plain \"quotes\", commas\nand a newline")]
    public async Task FormulaLikeTextIsStoredInertAndComesBackExactlyAsTyped(string text)
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        var sent = await alice.InvokeAsync("Send", text);
        Assert.Equal(text.Trim(), sent.GetProperty("text").GetString());

        var raw = File.ReadAllText(Directory.GetFiles(Path.Combine(App.DataDirectory, "history")).Single());
        var cell = raw.Split('\n', 2)[1];
        var textField = cell[(cell.IndexOf(",web,", StringComparison.Ordinal) + 5)..].TrimStart('"');
        Assert.False(textField[0] is '=' or '+' or '-' or '@' or '\t', $"a spreadsheet would evaluate {textField}");

        await using var restarted = await App.RestartAsync();
        await using var again = await HubTestClient.ConnectAsync(restarted, await restarted.TokenAsync("alice", "password-1"));
        var history = await again.NextAsync("History");
        Assert.Equal(text.Trim(), history.Argument[0].GetProperty("text").GetString());
    }
}
