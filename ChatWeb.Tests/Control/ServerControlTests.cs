using System.Net;
using System.Net.Http.Headers;
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
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(async () =>
        {
            using var refused = new System.Net.Sockets.TcpClient();
            await refused.ConnectAsync(System.Net.IPAddress.Loopback, port);
        });

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
    public async Task WipeAccountsRefusesTheTcpResumeTokenAndClosesTheTcpSession()
    {
        await using var tcp = await TcpTestClient.ConnectAsync(App);
        var token = await tcp.RegisterAsync("tess");

        await Control.WipeAccountsAsync("test");

        Assert.Equal(["! your account was removed by the operator"], await tcp.ReadToEndAsync());
        await using var resume = await TcpTestClient.ConnectAsync(App);
        await resume.ExpectAsync("Enter your name:");
        await resume.SendAsync($"/resume {token}");
        Assert.StartsWith("! that session token is not valid", await resume.ReadLineAsync());
    }

    [Fact]
    public async Task WipeAccountsEndsCookiesTokensAndConnectionsButKeepsTheAdmin()
    {
        var token = await App.SignUpAsync("alice");
        using var browser = App.NewClient();
        await PageForms.SignInAsync(browser, "alice", "password-1");
        await using var hub = await HubTestClient.ConnectAsync(App, token);

        var result = await Control.WipeAccountsAsync("test");

        Assert.Equal("1 account(s) removed; admin accounts kept.", result.Message);
        await hub.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(hub.Events, e => e.Target == "Notice" && e.Argument.GetProperty("text").GetString()!.Contains("removed"));
        Assert.Equal("/login", (await browser.GetAsync("/")).RequestMessage!.RequestUri!.AbsolutePath);
        using var bearer = App.NewClient(followRedirects: false);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.PostAsync("/api/account/password", JsonBody("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await HubTestClient.UpgradeStatusAsync(App, token));

        Assert.DoesNotContain("alice", File.ReadAllText(Path.Combine(App.DataDirectory, "logins.csv")));
        Assert.Equal(HttpStatusCode.Created, (await App.RegisterAsync("alice", "password-9")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync(ChatWebApplication.AdminName, ChatWebApplication.AdminPassword)).StatusCode);
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
    public async Task ResetPasswordEndsTheOldPasswordAndSessionsAndTheNewOneSignsIn()
    {
        var token = await App.SignUpAsync("alice");
        await using var hub = await HubTestClient.ConnectAsync(App, token);

        var (result, password) = await Control.ResetPasswordAsync("alice", "test");

        Assert.True(result.Succeeded);
        Assert.NotNull(password);
        await hub.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, await HubTestClient.UpgradeStatusAsync(App, token));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("alice", password)).StatusCode);
    }

    [Fact]
    public async Task UnlockLetsALockedUserSignInAtOnce()
    {
        await App.RegisterAsync("alice", "password-1");
        for (var i = 0; i < 5; i++) await App.RequestTokenAsync("alice", "wrong-password");
        Assert.Equal((HttpStatusCode)423, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);

        Assert.True((await Control.UnlockAsync("alice", "test")).Succeeded);

        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);
    }

    [Fact]
    public async Task DeleteRemovesTheAccountFromTheLoginsFileButNeverAnAdmin()
    {
        await App.RegisterAsync("alice", "password-1");
        Assert.True((await Control.DeleteAsync("alice", "test")).Succeeded);
        Assert.DoesNotContain("alice", File.ReadAllText(Path.Combine(App.DataDirectory, "logins.csv")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);

        Assert.False((await Control.DeleteAsync(ChatWebApplication.AdminName, "test")).Succeeded);
        Assert.False((await Control.DeleteAsync("nobody", "test")).Succeeded);
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

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
