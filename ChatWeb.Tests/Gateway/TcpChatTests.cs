using System.Globalization;
using System.Text;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Control;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Gateway;

/// <summary>TCP users and browser (hub) users in one room, over real sockets.</summary>
public sealed class TcpChatTests : ServerTest
{

    [Fact]
    public async Task TcpAndHubUsersChatBothWaysWithoutEchoToTheTcpSender()
    {
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await bob.NextAsync("Users");
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");

        var joined = await bob.NextAsync("UserJoined");
        Assert.Equal("alice", joined.Argument.GetProperty("userName").GetString());
        Assert.Equal(["tcp"], joined.Argument.GetProperty("transports").EnumerateArray().Select(t => t.GetString()));

        await alice.SendAsync("hello from tcp");
        var fromTcp = (await bob.NextAsync("Message")).Argument;
        Assert.Equal("alice", fromTcp.GetProperty("user").GetString());
        Assert.Equal("hello from tcp", fromTcp.GetProperty("text").GetString());
        Assert.Equal("tcp", fromTcp.GetProperty("source").GetString());

        var stored = await bob.InvokeAsync("Send", "hello from web");
        var sentAt = stored.GetProperty("sentAt").GetDateTime().ToUniversalTime().ToLocalTime();
        // The very next line alice gets is bob's: her own line was not echoed to her.
        Assert.Equal($"[{sentAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] bob: hello from web", await alice.ReadLineAsync());
    }

    [Fact]
    public async Task WhoListsEveryUserWithTheirTransports()
    {
        var bobToken = await App.SignUpAsync("bob");
        await using var bobOnWeb = await HubTestClient.ConnectAsync(App, bobToken);
        await using var bobOnTcp = await TcpTestClient.ConnectAsync(App);
        await bobOnTcp.ResumeAsync("bob", bobToken);
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");

        await alice.SendAsync("/who");
        Assert.Equal(["* Online (2):", "*   alice: tcp", "*   bob: web, tcp"],
            [await alice.ReadLineAsync(), await alice.ReadLineAsync(), await alice.ReadLineAsync()]);
        var who = await bobOnWeb.InvokeAsync("Who");
        Assert.Contains(who.EnumerateArray(), u => u.GetProperty("userName").GetString() == "alice"
            && u.GetProperty("transports").EnumerateArray().Single().GetString() == "tcp");
    }

    [Fact]
    public async Task TcpJoinReplaysTheHistoryThenLiveLines()
    {
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        var sent = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var stored = await bob.InvokeAsync("Send", $"line {i}");
            var at = stored.GetProperty("sentAt").GetDateTime().ToUniversalTime().ToLocalTime();
            sent.Add($"[{at.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] bob: line {i}");
        }

        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.ExpectAsync("Enter your name:");
        await alice.SendAsync("alice");
        await alice.ReadLineAsync();
        await alice.SendAsync("password-1");
        await alice.ReadLineAsync();
        await alice.SendAsync("password-1");
        await alice.ExpectAsync("Welcome, alice!");
        Assert.StartsWith("Session token: ", await alice.ReadLineAsync());
        await alice.ExpectAsync("--- history: 3 messages ---");
        foreach (var line in sent) await alice.ExpectAsync(line);
        await alice.ExpectAsync("--- end of history ---");

        await bob.InvokeAsync("Send", "live");
        Assert.EndsWith("] bob: live", await alice.ReadLineAsync());
    }

    [Fact]
    public async Task JoinAndLeaveAreAnnouncedToOtherTcpUsers()
    {
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");
        var bob = await TcpTestClient.ConnectAsync(App);
        await bob.RegisterAsync("bob");

        await alice.ExpectAsync("* bob joined");
        await bob.SendAsync("exit");
        Assert.Equal(["* bye"], await bob.ReadToEndAsync());
        await alice.ExpectAsync("* bob left");
        await bob.DisposeAsync();
    }

    [Fact]
    public async Task OverlongLineGetsTheErrorLineAndTheSessionGoesOn()
    {
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");

        await alice.SendAsync(new string('x', 9000));
        await alice.ExpectAsync("! line too long (max 8192 bytes)");
        // 2000 Cyrillic letters are 4000 bytes: a full-length message in any script fits in a line.
        var russian = new string('ж', 2000);
        await alice.SendAsync(russian);
        await alice.SendAsync(russian + "ж");
        await alice.ExpectAsync("! message too long (2001 characters, max 2000)");
        await alice.SendAsync("still here");

        var messages = await bob.WaitForMessagesAsync(m => m.Count >= 2);
        Assert.Equal([russian, "still here"], messages.Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task InvalidUtf8ArrivesAtBrowsersAsReplacementCharacters()
    {
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");

        await alice.SendRawAsync([.. "bad "u8, 0xFF, 0xFE, .. " bytes "u8, 0xD0, .. "\r\n"u8]);

        var message = (await bob.NextAsync("Message")).Argument;
        Assert.Equal("bad \uFFFD\uFFFD bytes \uFFFD", message.GetProperty("text").GetString());
    }

    [Fact]
    public async Task EmptyLinesAreIgnored()
    {
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");

        await alice.SendRawAsync(Encoding.UTF8.GetBytes("\n   \r\n\t\nreal\n/who\n"));

        // No error or reply for the empty lines: the next thing alice hears is the answer to /who.
        await alice.ExpectAsync("* Online (2):");
        var messages = await bob.WaitForMessagesAsync(m => m.Count >= 1);
        Assert.Equal(["real"], messages.Select(m => m.GetProperty("text").GetString()));
        Assert.Single(bob.Events, e => e.Target == "Message");
    }

    [Fact]
    public async Task HelpListsTheCommandsAndUnknownCommandsAreErrors()
    {
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");

        await alice.SendAsync("/help");
        await alice.ExpectAsync("* Commands:");
        await alice.ReadUntilAsync(line => line == "* Anything else you type is sent to everyone.");
        await alice.SendAsync("/dance now");
        await alice.ExpectAsync("! unknown command /dance; type /help");
        await alice.SendAsync("/quit");
        Assert.Equal(["* bye"], await alice.ReadToEndAsync());
    }

    [Fact]
    public async Task LinesFromBrowsersCannotForgeLinesOrDriveTheTerminal()
    {
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");

        await bob.InvokeAsync("Send", "two\n[12:00:00] admin: fake\u001b[2J");

        Assert.EndsWith("] bob: two", await alice.ReadLineAsync());
        await alice.ExpectAsync("  [12:00:00] admin: fake\uFFFD[2J");
    }

    [Fact]
    public async Task OperatorPauseNoticeAndAccountWipeReachTcpUsers()
    {
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");
        var control = App.Get<ServerControl>();

        control.Pause("test");
        await alice.ExpectAsync("* The server is paused: nobody new can join for now.");
        control.Resume("test");
        await alice.ExpectAsync("* The server accepts new connections again.");

        await App.AdministerAsync(accounts => accounts.WipeAsync("test"));
        Assert.Equal(["! your account was removed by the operator"], await alice.ReadToEndAsync());
    }

    [Fact]
    public async Task KickedTcpUserIsToldWhyAndDisconnected()
    {
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");

        var closed = await App.Get<ChatRoom>().CloseUserAsync("alice", "kicked by the operator");

        Assert.Equal(1, closed);
        Assert.Equal(["! kicked by the operator"], await alice.ReadToEndAsync());
        Assert.Equal(0, App.Get<RoomPresence>().ConnectionsOf("alice"));
    }

    [Fact]
    public async Task ABurstOfLinesIsPostedInOrderAndItsRefusalsAreAnsweredInOrderBeforeACommand()
    {
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await bob.NextAsync("Users");
        await using var alice = await TcpTestClient.ConnectAsync(App);
        await alice.RegisterAsync("alice");
        await bob.NextAsync("UserJoined");

        // One write: the gateway posts these lines without waiting for each answer; order must not suffer.
        var tooLong = new string('x', 2001);
        await alice.SendRawAsync(Encoding.UTF8.GetBytes($"one\n{tooLong}\ntwo\n/who\nthree\n"));

        Assert.Equal("! message too long (2001 characters, max 2000)", await alice.ReadLineAsync());
        Assert.Equal("* Online (2):", await alice.ReadLineAsync());
        var texts = new List<string?>();
        for (var i = 0; i < 3; i++) texts.Add((await bob.NextAsync("Message")).Argument.GetProperty("text").GetString());
        Assert.Equal(["one", "two", "three"], texts);
    }
}
