using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Hosting;

/// <summary>The one shutdown path, as an orchestrator drives it: SIGTERM to a real server process.</summary>
public sealed class ShutdownProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SigtermTellsWebAndTcpUsersAlikeClosesThemStoresTheHistoryAndExitsZero()
    {
        using var directory = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(directory.Path);
        await server.RegisterNewAsync("webby");
        await using var web = await HubTestClient.ConnectAsync(server, await server.TokenAsync("webby"));
        await using var tcp = await TcpTestClient.ConnectAsync(server.TcpPort);
        await tcp.RegisterAsync("tcpy");
        await web.InvokeAsync("Send", "acknowledged before SIGTERM");
        await tcp.ReadUntilAsync(line => line.EndsWith("webby: acknowledged before SIGTERM", StringComparison.Ordinal));

        server.Terminate();

        var notices = new List<string>();
        while (notices.Count < 2)
        {
            var notice = await web.NextAsync("Notice", timeout: Patience);
            notices.Add(notice.Argument.GetProperty("text").GetString()!);
        }
        Assert.Equal(["The server is shutting down.", "the server is shutting down"], notices);
        Assert.Equal(["* The server is shutting down.", "! the server is shutting down"], await tcp.ReadToEndAsync(Patience));
        await web.Closed.WaitAsync(Patience);
        Assert.Equal(0, await server.WaitForExitAsync(Patience));

        var history = Directory.GetFiles(Path.Combine(directory.Path, "history")).Single();
        Assert.Contains("acknowledged before SIGTERM", await File.ReadAllTextAsync(history));
        Assert.Contains("The server is stopping: telling everybody and closing every connection", await File.ReadAllTextAsync(server.LogFile));
    }
}
