using System.Text.RegularExpressions;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Control;

/// <summary>The server console as the operator uses it: a real process, commands typed on its stdin.</summary>
public sealed class ServerConsoleProcessTests
{
    [Fact]
    public async Task RussianConsoleCommandsHideAndClearLogsThenВыклExitsCleanlyWithHistoryStored()
    {
        using var directory = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(directory.Path);
        await server.WaitForOutputAsync(new Regex("Server console ready"), TimeSpan.FromSeconds(10));

        // Logs on: an event shows on the console.
        await server.RegisterNewAsync("shown-user");
        await server.WaitForOutputAsync(new Regex("Account shown-user registered"), TimeSpan.FromSeconds(10));

        // не показывать: the next event goes to log.txt only.
        await server.TypeAsync("не показывать");
        await server.WaitForOutputAsync(new Regex("no longer shown on the console"), TimeSpan.FromSeconds(10));
        await server.RegisterNewAsync("hidden-user");
        await ServerLog.WaitForAsync(server.LogFile, "Account hidden-user registered");
        // The sentinel: the console's answer to status comes after anything the log had put on the console before it.
        await server.TypeAsync("status");
        await server.WaitForOutputAsync(new Regex("bytes; console logs off"), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("hidden-user", server.Output);

        // очистить: log.txt is emptied, and logging goes on into it without NUL padding.
        await server.TypeAsync("очистить");
        await server.WaitForOutputAsync(new Regex("The logs were cleared"), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("hidden-user", await ServerLog.TextAsync(server.LogFile));
        await server.RegisterNewAsync("after-clear");
        var cleared = await ServerLog.WaitForAsync(server.LogFile, "Account after-clear registered");
        Assert.DoesNotContain('\0', cleared);
        Assert.DoesNotContain("hidden-user", cleared);

        // A message acknowledged before выкл is in the history after it.
        await using (var hub = await HubTestClient.ConnectAsync(server, await server.TokenAsync("after-clear")))
        {
            await hub.InvokeAsync("Send", "last words before shutdown");
            await server.TypeAsync("выкл");
            Assert.Contains("shutting down", (await hub.NextAsync("Notice")).Argument.GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        var history = Directory.GetFiles(Path.Combine(directory.Path, "history")).Single();
        Assert.Contains("last words before shutdown", File.ReadAllText(history));
    }

    [Fact]
    public async Task ShutdownFromTheDashboardTellsClientsStoresHistoryAndExitsZero()
    {
        using var directory = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(directory.Path);
        await server.RegisterNewAsync("bob");
        await using var bob = await HubTestClient.ConnectAsync(server, await server.TokenAsync("bob"));
        await bob.InvokeAsync("Send", "acknowledged before the shutdown");

        using var admin = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = server.BaseAddress };
        await PageForms.SignInAsync(admin, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
        var answer = await PageForms.SubmitAsync(admin, "/admin", "shutdown", new Dictionary<string, string> { ["ConfirmShutdown"] = "true" });
        Assert.Contains("The server is shutting down", await answer.Content.ReadAsStringAsync());

        Assert.Contains("shutting down", (await bob.NextAsync("Notice")).Argument.GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Operator admin:admin shut the server down", File.ReadAllText(server.LogFile));
        var history = Directory.GetFiles(Path.Combine(directory.Path, "history")).Single();
        Assert.Contains("acknowledged before the shutdown", File.ReadAllText(history));
    }
}
