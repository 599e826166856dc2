using System.Net;
using ChatWeb.Server.Chat;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Pages;

public sealed class AdminPagesTests : ServerTest
{

    private async Task<HttpClient> AdminAsync()
    {
        var client = App.NewClient();
        await PageForms.SignInAsync(client, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
        return client;
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/users")]
    [InlineData("/admin/logs")]
    [InlineData("/admin/users/bob/delete")]
    public async Task NonAdminGetsARealForbiddenPage(string path)
    {
        await App.RegisterAsync("bob", "password-1");
        using var bob = App.NewClient();
        await PageForms.SignInAsync(bob, "bob", "password-1");
        var response = await bob.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Not allowed", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnonymousIsSentToLogin()
    {
        using var client = App.NewClient(followRedirects: false);
        var response = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task AdminHubRefusesNonAdmins()
    {
        await App.RegisterNewAsync("bob");
        using var bob = await CookieBrowser.SignInAsync(App, "bob", Api.DefaultPassword);
        using var refused = await bob.Http.PostAsync("/hubs/admin/negotiate?negotiateVersion=1", content: null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var admin = await CookieBrowser.SignInAsync(App, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
        using var allowed = await admin.Http.PostAsync("/hubs/admin/negotiate?negotiateVersion=1", content: null);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task PauseAndResumeThroughTheDashboardForm()
    {
        using var admin = await AdminAsync();
        var paused = await PageForms.SubmitAsync(admin, "/admin", "control", new Dictionary<string, string> { ["Command"] = "pause" });
        var html = await paused.Content.ReadAsStringAsync();
        Assert.Contains("Paused: new connections are refused", html);
        Assert.True(App.Get<RoomAdmission>().IsPaused);
        Assert.Contains("id=\"resume\"", html);

        await PageForms.SubmitAsync(admin, "/admin", "control", new Dictionary<string, string> { ["Command"] = "resume" });
        Assert.False(App.Get<RoomAdmission>().IsPaused);
        Assert.Contains("Operator admin:admin paused the server", File.ReadAllText(Path.Combine(App.DataDirectory, "log.txt")));
    }

    [Fact]
    public async Task DestructiveActionsNeedTheConfirmationBox()
    {
        await App.RegisterAsync("bob", "password-1");
        using var admin = await AdminAsync();

        var unconfirmed = await PageForms.SubmitAsync(admin, "/admin", "wipe", new Dictionary<string, string>());
        Assert.Contains("tick the box to confirm", await unconfirmed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("bob", "password-1")).StatusCode);

        var confirmed = await PageForms.SubmitAsync(admin, "/admin", "wipe", new Dictionary<string, string> { ["ConfirmWipe"] = "true" });
        Assert.Contains("1 account(s) removed", await confirmed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("bob", "password-1")).StatusCode);
    }

    [Fact]
    public async Task AdminPostWithoutTheAntiforgeryTokenIsRejected()
    {
        using var admin = await AdminAsync();
        var response = await admin.PostAsync("/admin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "control",
            ["Command"] = "pause",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(App.Get<RoomAdmission>().IsPaused);
    }

    [Fact]
    public async Task UsersPageListsAccountsAndShowsAResetPasswordOnce()
    {
        await using var bob = await HubTestClient.ConnectAsync(App, await App.SignUpAsync("bob"));
        using var admin = await AdminAsync();

        var page = await PageForms.GetPageAsync(admin, "/admin/users");
        var row = page.QuerySelector("tr[data-user=bob]")!;
        Assert.Contains("web", row.TextContent);

        var reset = await PageForms.SubmitAsync(admin, "/admin/users", "users", new Dictionary<string, string> { ["Command"] = "reset:bob" });
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await reset.Content.ReadAsStringAsync());
        var password = html.QuerySelector("#new-password code")!.TextContent;
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("bob", password)).StatusCode);

        var again = await PageForms.GetPageAsync(admin, "/admin/users");
        Assert.Null(again.QuerySelector("#new-password"));
    }

    [Fact]
    public async Task UsersPageRevealsTheEncryptedLastIpOnlyWhenAsked()
    {
        await App.SignUpAsync("bob");
        using var admin = await AdminAsync();
        var page = await PageForms.GetPageAsync(admin, "/admin/users");
        Assert.DoesNotContain("127.0.0.1", page.QuerySelector("#users-table")!.TextContent);

        var shown = await PageForms.SubmitAsync(admin, "/admin/users", "users", new Dictionary<string, string> { ["Command"] = "ip:bob" });
        Assert.Contains("127.0.0.1", await shown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeletePageDeletesOnlyWhenConfirmed()
    {
        await App.RegisterAsync("bob", "password-1");
        using var admin = await AdminAsync();

        await PageForms.SubmitAsync(admin, "/admin/users/bob/delete", "delete", new Dictionary<string, string>());
        Assert.Contains("bob", File.ReadAllText(Path.Combine(App.DataDirectory, "logins.csv")));

        var deleted = await PageForms.SubmitAsync(admin, "/admin/users/bob/delete", "delete", new Dictionary<string, string> { ["Confirm"] = "true" });
        Assert.Contains("The account bob was deleted.", await deleted.Content.ReadAsStringAsync());
        Assert.DoesNotContain("bob,", File.ReadAllText(Path.Combine(App.DataDirectory, "logins.csv")));
    }

    [Fact]
    public async Task LogsPageShowsNewestFirstAndFiltersByLevel()
    {
        using var admin = await AdminAsync();
        await App.RequestTokenAsync("nobody", "wrong-password");
        await App.RegisterAsync("zed", "password-1");

        var page = await PageForms.GetPageAsync(admin, "/admin/logs");
        var entries = page.QuerySelectorAll("#log-lines li").Select(li => li.TextContent).ToList();
        Assert.True(entries.Count > 3);
        Assert.True(entries.FindIndex(e => e.Contains("Account zed registered")) < entries.FindIndex(e => e.Contains("History loaded")), "newest first");

        var warnings = await PageForms.GetPageAsync(admin, "/admin/logs?level=WRN");
        var levels = warnings.QuerySelectorAll("#log-lines li .level").Select(l => l.TextContent).Distinct().ToList();
        Assert.Equal(["WRN"], levels);
        Assert.Contains(warnings.QuerySelectorAll("#log-lines li"), li => li.TextContent.Contains("Sign-in of nobody"));
    }

    [Fact]
    public async Task AdminHubStreamsNewLogEntries()
    {
        using var browser = await CookieBrowser.SignInAsync(App, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
        await using var admin = await HubTestClient.ConnectAsync(App, accessToken: null, "/hubs/admin", browser.CookieHeader);
        await App.RegisterAsync("streamed", "password-1");
        var entry = await admin.NextAsync("LogEntry", e => e.Argument.GetProperty("text").GetString()!.Contains("Account streamed registered"));
        Assert.Equal("INF", entry.Argument.GetProperty("level").GetString());
    }
}
