using System.Net;
using System.Text.Json;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Hubs;

public sealed class ChatHubTests : ServerTest
{

    [Fact]
    public async Task MessageReachesEveryoneExactlyOnceWithIdUserTextAndTime()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await alice.NextAsync("Users");
        await bob.NextAsync("Users");

        var stored = await alice.InvokeAsync("Send", "hello bob");

        foreach (var client in new[] { alice, bob })
        {
            var message = (await client.NextAsync("Message")).Argument;
            Assert.Equal(stored.GetProperty("id").GetInt64(), message.GetProperty("id").GetInt64());
            Assert.Equal("alice", message.GetProperty("user").GetString());
            Assert.Equal("hello bob", message.GetProperty("text").GetString());
            Assert.Equal("web", message.GetProperty("source").GetString());
            Assert.EndsWith("Z", message.GetProperty("sentAt").GetString());
            Assert.True(DateTime.UtcNow - message.GetProperty("sentAt").GetDateTime().ToUniversalTime() < TimeSpan.FromMinutes(1));
        }
        // Exactly once: a sentinel sent after it arrives right after it, with nothing in between.
        await alice.InvokeAsync("Send", "sentinel");
        foreach (var client in new[] { alice, bob })
        {
            await client.NextAsync("Message", e => e.Argument.GetProperty("text").GetString() == "sentinel");
            Assert.Equal(["hello bob", "sentinel"], client.Events.Where(e => e.Target == "Message").Select(e => e.Argument.GetProperty("text").GetString()));
        }
    }

    [Fact]
    public async Task AnonymousHubConnectionIsRefused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await HubTestClient.UpgradeStatusAsync(App, accessToken: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await HubTestClient.UpgradeStatusAsync(App, accessToken: "forged-token"));
    }

    [Fact]
    public async Task OnlineUsersCountATwoTabUserOnceAndAnnounceJoinAndLeave()
    {
        var token = await App.SignUpAsync("carol");
        await using var watcher = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("dave"));
        await watcher.NextAsync("Users");

        var tab1 = await HubTestClient.ConnectAsync(App, token);
        var joined = await watcher.NextAsync("UserJoined");
        Assert.Equal("carol", joined.Argument.GetProperty("userName").GetString());
        Assert.Equal(["web"], joined.Argument.GetProperty("transports").EnumerateArray().Select(t => t.GetString()));

        var tab2 = await HubTestClient.ConnectAsync(App, token);
        await tab2.NextAsync("History"); // sent once the room has registered the connection
        var who = await watcher.InvokeAsync("Who");
        Assert.Equal(["carol", "dave"], who.EnumerateArray().Select(u => u.GetProperty("userName").GetString()));

        // Closing one of two tabs: carol is still online, nobody hears she left.
        await tab1.DisposeAsync();
        var presence = App.Get<ChatWeb.Server.Chat.RoomPresence>();
        await Wait.UntilAsync(() => presence.ConnectionsOf("carol") == 1, "carol's closed tab to leave the room");
        await tab2.InvokeAsync("Send", "still here");
        await watcher.NextAsync("Message");
        Assert.DoesNotContain(watcher.Events, e => e.Target == "UserLeft");

        await tab2.DisposeAsync();
        var left = await watcher.NextAsync("UserLeft");
        Assert.Equal("carol", left.Argument.GetProperty("userName").GetString());
    }

    [Fact]
    public async Task JoiningClientGetsRecentHistoryThenUsers()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        for (var i = 1; i <= 3; i++) await alice.InvokeAsync("Send", $"line {i}");

        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        var history = await bob.NextAsync("History");
        Assert.Equal(["line 1", "line 2", "line 3"], history.Argument.EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        var users = await bob.NextAsync("Users");
        Assert.Contains(users.Argument.EnumerateArray(), u => u.GetProperty("userName").GetString() == "alice");
    }

    [Fact]
    public async Task HistoryAfterReturnsExactlyWhatCameLaterAndChecksItsArguments()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        var ids = new List<long>();
        for (var i = 0; i < 5; i++) ids.Add((await alice.InvokeAsync("Send", $"m{i}")).GetProperty("id").GetInt64());

        var after = await alice.InvokeAsync("History", ids[1], 500);
        Assert.Equal(ids.Skip(2), after.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        var limited = await alice.InvokeAsync("History", 0, 2);
        Assert.Equal(ids.Take(2), limited.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.InvokeAsync("History", 0, 501));
        Assert.Contains("limit must be between 1 and 500", error.Message);
    }

    [Fact]
    public async Task EmptyMessageIsIgnoredAndNotBroadcast()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        var result = await alice.InvokeAsync("Send", "   ");
        Assert.Equal(JsonValueKind.Null, result.ValueKind);
        await alice.InvokeAsync("Send", "real");
        var message = await alice.NextAsync("Message");
        Assert.Equal("real", message.Argument.GetProperty("text").GetString());
    }

    [Fact]
    public async Task AKickedConnectionCanPostNothingBetweenBeingToldAndBeingClosed()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        await alice.NextAsync("Users");

        var kick = App.Get<ChatWeb.Server.Chat.ChatRoom>().CloseUserAsync("alice", "kicked by the test");
        await alice.NextAsync("Notice", e => e.Argument.GetProperty("text").GetString() == "kicked by the test");
        var refused = await Assert.ThrowsAsync<HubInvocationException>(() => alice.InvokeAsync("Send", "one last word"));

        Assert.Contains("this connection is being closed", refused.Message);
        Assert.Equal(1, await kick);
        Assert.Empty(await App.Get<ChatWeb.Server.Chat.ChatRoom>().HistoryAfterAsync(0, 10));
    }
}
