using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Gateway;

/// <summary>ChatWeb.Client run as a real process, driven through its stdin like a script would.</summary>
public sealed class ChatClientProcessTests : ServerTest
{
    private readonly string _config = TempDirectory.Create();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        TempDirectory.Delete(_config);
    }

    [Fact]
    public async Task ClientSignsInSendsReceivesAndExitsThenResumesWithTheSavedToken()
    {
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        await bob.NextAsync("Users");

        await using (var client = StartClient("--user", "carol"))
        {
            await client.WriteLineAsync("password-1");
            await client.WriteLineAsync("password-1");
            await client.WaitForLineAsync(line => line == "Welcome, carol!");
            await client.WriteLineAsync("hi from the console client");

            var message = await bob.NextAsync("Message", timeout: TimeSpan.FromSeconds(15));
            Assert.Equal("carol", message.Argument.GetProperty("user").GetString());
            Assert.Equal("hi from the console client", message.Argument.GetProperty("text").GetString());
            Assert.Equal("tcp", message.Argument.GetProperty("source").GetString());

            await bob.InvokeAsync("Send", "hello carol");
            await client.WaitForLineAsync(line => line.EndsWith("] bob: hello carol", StringComparison.Ordinal));
            await client.WriteLineAsync("exit");
            Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            Assert.DoesNotContain("Session token", client.Output);
        }

        // The token was kept for this host and port, readable by the user only, and the next start resumes with it.
        var saved = Assert.Single(Directory.GetFiles(Path.Combine(_config, "chatweb")));
        Assert.Equal($"session-127.0.0.1-{App.TcpPort()}.token", Path.GetFileName(saved));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
        await using (var again = StartClient())
        {
            await again.WaitForLineAsync(line => line == "Welcome back, carol!");
            await again.WriteLineAsync("exit");
            Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            Assert.DoesNotContain("Enter your password", again.Output);
        }
    }

    [Fact]
    public async Task RefusedSavedTokenIsDroppedAndTheUserSignsInWithThePassword()
    {
        await App.SignUpAsync("dora");
        Directory.CreateDirectory(Path.Combine(_config, "chatweb"));
        var saved = Path.Combine(_config, "chatweb", $"session-127.0.0.1-{App.TcpPort()}.token");
        await File.WriteAllTextAsync(saved, "forged-token");

        await using var client = StartClient("--user", "dora");
        await client.WaitForLineAsync(line => line.StartsWith("! that session token is not valid", StringComparison.Ordinal));
        await client.WaitForLineAsync(line => line == "Hello again, dora! Enter your password:");
        await client.WriteLineAsync("password-1");
        await client.WaitForLineAsync(line => line == "Welcome back, dora!");
        await client.WriteLineAsync("exit");
        Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.NotEqual("forged-token", await File.ReadAllTextAsync(saved));
    }

    [Fact]
    public async Task ClientSaysClearlyWhenTheServerIsNotAccepting()
    {
        var port = App.TcpPort();
        App.Get<ChatWeb.Server.Chat.RoomAdmission>().Pause();

        await using var client = StartClient();

        Assert.Equal(1, await client.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains($"Cannot connect to 127.0.0.1:{port}: connection refused. The server is down or paused; try again later.", client.Output);
    }

    [Fact]
    public async Task HelpDocumentsThePromptOrderAndBadOptionsAreRefused()
    {
        await using (var help = StartClient("--help"))
        {
            Assert.Equal(0, await help.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            Assert.Contains("Usage: ChatWeb.Client [--host <address>] [--port <port>] [--user <name>] [--no-resume]", help.Output);
            Assert.Contains("Enter your name:", help.Output);
            Assert.Contains("Repeat the password:", help.Output);
        }
        await using var wrong = StartClient("--colour");
        Assert.Equal(2, await wrong.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("ChatWeb.Client: unknown option '--colour'", wrong.Output);
    }

    private TestProcess StartClient(params string[] arguments) =>
        TestProcess.Start(TestProcess.BuiltDll("ChatWeb.Client"),
            ["--host", "127.0.0.1", "--port", App.TcpPort().ToString(), .. arguments],
            // The client keeps its token under ApplicationData, which is $XDG_CONFIG_HOME on Linux.
            new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _config, ["HOME"] = _config });
}
