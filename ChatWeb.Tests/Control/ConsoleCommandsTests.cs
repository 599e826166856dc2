using ChatWeb.Server.Chat;
using ChatWeb.Server.Control;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Control;

/// <summary>Console commands fed as lines to the real console service of a running server.</summary>
public sealed class ConsoleCommandsTests : ServerTest
{
    private ConsoleCommands Console => App.Get<ConsoleCommands>();

    [Theory]
    [InlineData("pause", "resume")]
    [InlineData("заморозить", "разморозить")]
    [InlineData("  PAUSE  ", "Resume")]
    public async Task PauseAndResumeWordsInBothLanguages(string pause, string resume)
    {
        var admission = App.Get<RoomAdmission>();
        Assert.StartsWith("Paused", await Console.ExecuteAsync(pause));
        Assert.True(admission.IsPaused);
        Assert.StartsWith("Resumed", await Console.ExecuteAsync(resume));
        Assert.False(admission.IsPaused);
    }

    [Theory]
    [InlineData("logs off", "logs on")]
    [InlineData("не показывать", "показывать")]
    public async Task ConsoleLogWordsInBothLanguages(string off, string on)
    {
        var logs = App.Get<ConsoleLogSwitch>();
        await Console.ExecuteAsync(off);
        Assert.False(logs.IsOn);
        await Console.ExecuteAsync(on);
        Assert.True(logs.IsOn);
    }

    [Theory]
    [InlineData("clear logs")]
    [InlineData("clear log")]
    [InlineData("очистить")]
    public async Task ClearLogWordsEmptyTheLogFile(string words)
    {
        var log = Path.Combine(App.DataDirectory, "log.txt");
        Assert.True(new FileInfo(log).Length > 0);
        Assert.Equal("The logs were cleared.", await Console.ExecuteAsync(words));
        Assert.DoesNotContain("History loaded", await File.ReadAllTextAsync(log));
    }

    [Theory]
    [InlineData("wipe accounts")]
    [InlineData("clear file")]
    [InlineData("удалить клиентов")]
    public async Task WipeWordsRemoveEveryNonAdminAccount(string words)
    {
        await App.RegisterAsync("alice", "password-1");
        await App.RegisterAsync("bob", "password-1");
        Assert.Equal("2 account(s) removed; admin accounts kept.", await Console.ExecuteAsync(words));
    }

    [Fact]
    public async Task KickResetUnlockAndDeleteTakeANameInItsOwnCase()
    {
        await using var alice = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("Alice"));
        await alice.NextAsync("History"); // sent once the room has registered the connection
        Assert.StartsWith("Alice was disconnected", await Console.ExecuteAsync("kick Alice"));

        var reset = await Console.ExecuteAsync("reset password alice");
        var password = reset.Split("New password for alice: ")[1].Trim();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await App.RequestTokenAsync("Alice", password)).StatusCode);

        Assert.Equal("Alice is unlocked.", await Console.ExecuteAsync("unlock alice"));
        Assert.Equal("The account Alice was deleted.", await Console.ExecuteAsync("delete user alice"));
        Assert.Equal("There is no account ghost.", await Console.ExecuteAsync("reset password ghost"));
    }

    [Fact]
    public async Task StatusAndHelpAnswer()
    {
        var status = await Console.ExecuteAsync("status");
        Assert.Contains("accepting connections", status);
        Assert.Contains("Messages today: 0", status);
        var help = await Console.ExecuteAsync("help");
        Assert.Contains("заморозить", help);
        Assert.Contains("удалить клиентов", help);
    }

    [Fact]
    public async Task UnknownCommandAnswersWithTheHelpHint()
    {
        Assert.Equal("Unknown command 'dance'. Type help for the list.", await Console.ExecuteAsync("dance"));
        Assert.Equal("", await Console.ExecuteAsync("   "));
    }

    [Fact]
    public async Task ConsoleServiceRunsEveryLineItIsFed()
    {
        var service = App.Get<ServerConsole>();
        var output = new StringWriter();
        await service.RunAsync(new StringReader("pause\nstatus\nразморозить\n"), output, CancellationToken.None);
        var text = output.ToString();
        Assert.Contains("Paused: new connections are refused", text);
        Assert.Contains("PAUSED (new connections refused)", text);
        Assert.Contains("Resumed", text);
    }
}
