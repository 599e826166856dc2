using ChatWeb.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatWeb.Tests.Browser;

/// <summary>A chat page outliving its server: a restart on the same data directory and port.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserReconnectTests(BrowserFixture browser)
{
    private const string Password = "password-1";
    private const string Negotiate = "**/hubs/chat/negotiate*";

    // Fewer than the messages missed, so only the page's History(afterId) catch-up can show them all,
    // and the join replay overlaps the catch-up: the page must show each message once anyway.
    private static readonly Dictionary<string, string?> Settings = new() { ["Chat:HistoryOnJoin"] = "2" };

    [Fact]
    public async Task PageReconnectsAfterAServerRestartAndShowsWhatItMissedOnce()
    {
        var server = new ChatWebApplication(settings: Settings);
        try
        {
            await server.SignUpAsync("alice", Password);
            await using var alice = await browser.NewUserAsync(server.BaseAddress);
            await alice.SignInAsync("alice", Password);
            await alice.Chat.WaitUntilConnectedAsync();
            await alice.Chat.SayAsync("before the restart");

            // Keep the page away until the missed messages exist: its reconnect attempts fail at negotiate.
            await alice.Page.RouteAsync(Negotiate, route => route.AbortAsync());
            server = await server.RestartAsync(samePort: true);
            await Expect(alice.Chat.Status).Not.ToHaveTextAsync("connected");

            string[] missed = ["missed 1", "missed 2", "missed 3", "missed 4", "missed 5"];
            await using (var bob = await HubTestClient.ConnectAsync(server, await server.SignUpAsync("bob", Password)))
            {
                foreach (var text in missed) await bob.InvokeAsync("Send", text);
            }
            await alice.Page.UnrouteAsync(Negotiate);

            // The retry delays grow (0.5, 1, 2, 4 s...): allow a few of them.
            await alice.Chat.WaitUntilConnectedAsync(timeoutMs: 20_000);
            await Expect(alice.Chat.Message("missed 1")).ToHaveCountAsync(1);
            Assert.Equal(["before the restart", .. missed], await alice.Chat.TextsAsync());

            await alice.Chat.SayAsync("back again");
            Assert.Equal(["before the restart", .. missed, "back again"], await alice.Chat.TextsAsync());
            Assert.Empty(alice.Problems);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
