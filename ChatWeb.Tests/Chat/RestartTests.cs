using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Chat;

public sealed class RestartTests : IAsyncLifetime
{
    private ChatWebApplication _app = new(settings: new Dictionary<string, string?> { ["Chat:HistoryOnJoin"] = "5" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AccountsHistoryAndIdsSurviveARestart()
    {
        var ids = new List<long>();
        await using (var alice = await HubTestClient.ConnectAsync(_app, await _app.SignUpAsync("alice", "password-1")))
        {
            for (var i = 0; i < 8; i++) ids.Add((await alice.InvokeAsync("Send", $"before {i}")).GetProperty("id").GetInt64());
        }

        _app = await _app.RestartAsync();

        // Accounts still sign in, and the last N messages are replayed on join.
        await using var again = await HubTestClient.ConnectAsync(_app, await _app.TokenAsync("alice", "password-1"));
        var replay = await again.NextAsync("History");
        Assert.Equal(ids.TakeLast(5), replay.Argument.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));

        // New ids continue after the old ones.
        var next = (await again.InvokeAsync("Send", "after")).GetProperty("id").GetInt64();
        Assert.True(next > ids[^1], $"id {next} does not continue after {ids[^1]}");

        // A client that saw up to ids[2] gets exactly what it missed.
        var missed = await again.InvokeAsync("History", ids[2], 500);
        Assert.Equal(ids.Skip(3).Append(next), missed.EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task CookiesIssuedBeforeARestartStillWork()
    {
        await _app.RegisterAsync("bob", "password-1");
        var handler = new HttpClientHandler { UseCookies = true };
        using var first = new HttpClient(handler) { BaseAddress = _app.BaseAddress };
        await PageForms.SignInAsync(first, "bob", "password-1");
        var jar = handler.CookieContainer.GetCookies(_app.BaseAddress);

        _app = await _app.RestartAsync();

        var after = new HttpClientHandler { UseCookies = true };
        foreach (System.Net.Cookie cookie in jar) after.CookieContainer.Add(_app.BaseAddress, new System.Net.Cookie(cookie.Name, cookie.Value));
        using var second = new HttpClient(after) { BaseAddress = _app.BaseAddress };
        var response = await second.GetAsync("/");
        Assert.Equal("/", response.RequestMessage!.RequestUri!.AbsolutePath);
    }
}
