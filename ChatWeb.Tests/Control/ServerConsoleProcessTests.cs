using System.Net;
using System.Text.RegularExpressions;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Control;

/// <summary>The server console as the operator uses it: a real process, commands typed on its stdin.</summary>
public sealed class ServerConsoleProcessTests
{
    [Fact]
    public async Task RussianConsoleCommandsHideAndClearLogsThenВыклExitsCleanlyWithHistoryStored()
    {
        var directory = TempDirectory.Create();
        try
        {
            await using var server = await ServerProcess.StartAsync(directory);
            var logFile = Path.Combine(directory, "log.txt");
            await server.WaitForOutputAsync(new Regex("Server console ready"), TimeSpan.FromSeconds(10));

            // Logs on: an event shows on the console.
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            await Register(http, "shown-user");
            await server.WaitForOutputAsync(new Regex("Account shown-user registered"), TimeSpan.FromSeconds(10));

            // не показывать: the next event goes to log.txt only.
            await server.TypeAsync("не показывать");
            await server.WaitForOutputAsync(new Regex("no longer shown on the console"), TimeSpan.FromSeconds(10));
            await Register(http, "hidden-user");
            await WaitForFileAsync(logFile, "Account hidden-user registered");
            await Task.Delay(300);
            Assert.DoesNotContain("hidden-user", server.Output);

            // очистить: log.txt is emptied, and logging goes on into it without NUL padding.
            await server.TypeAsync("очистить");
            await server.WaitForOutputAsync(new Regex("The logs were cleared"), TimeSpan.FromSeconds(10));
            Assert.DoesNotContain("hidden-user", await ReadShared(logFile));
            await Register(http, "after-clear");
            var cleared = await WaitForFileAsync(logFile, "Account after-clear registered");
            Assert.DoesNotContain('\0', cleared);
            Assert.DoesNotContain("hidden-user", cleared);

            // A message acknowledged before выкл is in the history after it.
            var token = await Token(http, "after-clear");
            await using (var hub = await HubTestClient.ConnectAsync(server.BaseAddress, token))
            {
                await hub.InvokeAsync("Send", "last words before shutdown");
                await server.TypeAsync("выкл");
                Assert.Contains("shutting down", (await hub.NextAsync("Notice")).Argument.GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
            }

            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            var history = Directory.GetFiles(Path.Combine(directory, "history")).Single();
            Assert.Contains("last words before shutdown", File.ReadAllText(history));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task ShutdownFromTheDashboardTellsClientsStoresHistoryAndExitsZero()
    {
        var directory = TempDirectory.Create();
        try
        {
            await using var server = await ServerProcess.StartAsync(directory);
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            await Register(http, "bob");
            await using var bob = await HubTestClient.ConnectAsync(server.BaseAddress, await Token(http, "bob"));
            await bob.InvokeAsync("Send", "acknowledged before the shutdown");

            using var admin = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = server.BaseAddress };
            await PageForms.SignInAsync(admin, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
            var answer = await PageForms.SubmitAsync(admin, "/admin", "shutdown", new Dictionary<string, string> { ["ConfirmShutdown"] = "true" });
            Assert.Contains("The server is shutting down", await answer.Content.ReadAsStringAsync());

            Assert.Contains("shutting down", (await bob.NextAsync("Notice")).Argument.GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            Assert.Contains("Operator admin:admin shut the server down", File.ReadAllText(Path.Combine(directory, "log.txt")));
            var history = Directory.GetFiles(Path.Combine(directory, "history")).Single();
            Assert.Contains("acknowledged before the shutdown", File.ReadAllText(history));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    private static async Task Register(HttpClient http, string name)
    {
        var response = await http.PostAsync("/api/account/register", JsonContent(name));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<string> Token(HttpClient http, string name)
    {
        var response = await http.PostAsync("/api/account/token", JsonContent(name));
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    private static StringContent JsonContent(string name) =>
        new($$"""{"userName":"{{name}}","password":"password-1"}""", System.Text.Encoding.UTF8, "application/json");

    private static async Task<string> ReadShared(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static async Task<string> WaitForFileAsync(string path, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var content = await ReadShared(path);
            if (content.Contains(text, StringComparison.Ordinal)) return content;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"'{text}' never reached {path}:\n{content}");
            await Task.Delay(50);
        }
    }
}
