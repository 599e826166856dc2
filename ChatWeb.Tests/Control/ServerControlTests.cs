using System.Net;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Control;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Control;

public sealed class ServerControlTests : ServerTest
{
    private ServerControl Control => App.Get<ServerControl>();

    [Fact]
    public async Task PauseRefusesNewHubConnectionsWhileConnectedUsersKeepChattingAndResumeAcceptsAgain()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("alice"));
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        var carolToken = await App.SignUpAsync("carol");

        Assert.True(Control.Pause("test").Succeeded);
        Assert.False(Control.Pause("test").Succeeded);
        Assert.Contains("paused", (await bob.NextAsync("Notice")).Argument.GetProperty("text").GetString());

        await using (var refused = await HubTestClient.ConnectAsync(App, carolToken))
        {
            var error = await refused.Closed.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Contains("server paused", error);
        }

        await alice.InvokeAsync("Send", "still talking");
        Assert.Equal("still talking", (await bob.NextAsync("Message")).Argument.GetProperty("text").GetString());

        Assert.True(Control.Resume("test").Succeeded);
        await using var carol = await HubTestClient.ConnectAsync(App, carolToken);
        await carol.NextAsync("History");
    }

    [Fact]
    public async Task PauseClosesTheTcpPortWhileATcpAndAHubUserKeepChattingAndResumeReopensTheSamePort()
    {
        var port = App.TcpPort();
        await using var tcp = await TcpTestClient.ConnectAsync(App);
        await tcp.RegisterAsync("tess");
        await using var hub = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("hugo"));
        await hub.NextAsync("Users");

        Control.Pause("test");
        await tcp.ReadUntilAsync(line => line == "* The server is paused: nobody new can join for now.");
        var refusal = await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(async () =>
        {
            using var refused = new System.Net.Sockets.TcpClient();
            await refused.ConnectAsync(System.Net.IPAddress.Loopback, port);
        });
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refusal.SocketErrorCode);

        await tcp.SendAsync("paused but talking");
        Assert.Equal("paused but talking", (await hub.NextAsync("Message")).Argument.GetProperty("text").GetString());
        await hub.InvokeAsync("Send", "me too");
        await tcp.ReadUntilAsync(line => line.EndsWith("hugo: me too", StringComparison.Ordinal));

        Control.Resume("test");
        Assert.Equal(port, App.TcpPort());
        await using var again = await TcpTestClient.ConnectAsync(port);
        await again.SignInAsync("tess");
        await using var hubAgain = await HubTestClient.ConnectAsync(App, await App.TokenAsync("hugo", "password-1"));
        await hubAgain.NextAsync("History");
    }

    [Fact]
    public async Task KickClosesTheUsersConnectionsWithANoticeAndLeavesOthersAlone()
    {
        var aliceToken = await App.SignUpAsync("alice");
        await using var tab1 = await HubTestClient.ConnectAsync(App, aliceToken);
        await using var tab2 = await HubTestClient.ConnectAsync(App, aliceToken);
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));

        var result = await Control.KickAsync("ALICE", "test");

        Assert.True(result.Succeeded);
        Assert.Contains("2 connection(s)", result.Message);
        foreach (var tab in new[] { tab1, tab2 })
        {
            await tab.Closed.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Contains(tab.Events, e => e.Target == "Notice" && e.Argument.GetProperty("text").GetString() == "you were disconnected by the operator");
        }
        var left = await bob.NextAsync("UserLeft");
        Assert.Equal("alice", left.Argument.GetProperty("userName").GetString());
        await bob.InvokeAsync("Send", "bob is fine");
        Assert.False((await Control.KickAsync("nobody", "test")).Succeeded);
    }

    [Fact]
    public async Task EveryActionIsLoggedWithWhoDidIt()
    {
        Control.Pause("admin:alice");
        Control.Resume("console");
        var log = await File.ReadAllTextAsync(Path.Combine(App.DataDirectory, "log.txt"));
        Assert.Contains("Operator admin:alice paused the server", log);
        Assert.Contains("Operator console resumed the server", log);
    }
}
