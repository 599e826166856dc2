using System.Text.RegularExpressions;
using ChatWeb.Server.Chat;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatWeb.Tests.Browser;

/// <summary>The admin dashboard and log page in a real browser, under the real Content-Security-Policy.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserAdminTests(BrowserFixture browser, ChatServerFixture server) : IClassFixture<ChatServerFixture>
{
    [Fact]
    public async Task AdminPausesSeesTheStateChangeAndResumes()
    {
        await using var admin = await server.SignedInAdminAsync(browser);
        await using var alice = await server.SignedInUserAsync(browser, "alice");
        await alice.Chat.OpenAsync();
        await Expect(alice.Chat.OnlineUser("alice")).ToBeVisibleAsync();

        await admin.Page.GotoAsync("/admin");
        await Expect(admin.Page.Locator("#card-state .big")).ToHaveTextAsync("Accepting");
        await Expect(admin.Page.Locator("#card-online .big")).ToHaveTextAsync("1");
        await ReadmeScreenshots.SaveAsync(admin.Page, "admin.png");

        await admin.Page.ClickAsync("#pause");
        await Expect(admin.Page.Locator("#result")).ToContainTextAsync("Paused");
        await Expect(admin.Page.Locator("#card-state .big")).ToHaveTextAsync("Paused");
        Assert.True(server.App.Get<RoomAdmission>().IsPaused);

        // The chat page, already connected, hears about it; a new visitor is told it is paused and retries.
        await Expect(alice.Page.Locator("#notice")).ToContainTextAsync("paused");
        await using var bob = await server.SignedInUserAsync(browser, "bob");
        await bob.Page.GotoAsync("/login");
        await Expect(bob.Page.Locator("#paused-banner")).ToBeVisibleAsync();
        await bob.Page.GotoAsync("/");
        await Expect(bob.Chat.Status).ToHaveTextAsync("server paused, retrying");

        await admin.Page.ClickAsync("#resume");
        await Expect(admin.Page.Locator("#card-state .big")).ToHaveTextAsync("Accepting");
        await Expect(bob.Chat.Status).ToHaveTextAsync("connected", new() { Timeout = 15_000 });

        Assert.Empty(admin.Problems);
        Assert.Empty(bob.Problems);
    }

    [Fact]
    public async Task NewLogLinesShowUpOnTheLogPageWithoutAReload()
    {
        await using var admin = await server.SignedInAdminAsync(browser);
        await admin.Page.GotoAsync("/admin/logs");
        await Expect(admin.Page.Locator("#live")).ToHaveTextAsync("live");

        await server.App.RegisterAsync("newcomer", "password-1");

        // Other lines may come right after it (the idle memory trim logs when the server goes quiet).
        var registered = admin.Page.Locator("#log-lines li", new() { HasText = "Account newcomer registered" });
        await Expect(registered).ToHaveCountAsync(1);
        await Expect(registered.Locator(".level")).ToHaveTextAsync("INF");
        await ReadmeScreenshots.SaveAsync(admin.Page, "admin-logs.png");
        Assert.Empty(admin.Problems);
    }

    [Fact]
    public async Task AdminResetsAPasswordAndSeesItOnce()
    {
        await using var admin = await server.SignedInAdminAsync(browser);
        await server.App.RegisterAsync("carol", "password-1");
        await admin.Page.GotoAsync("/admin/users");

        await admin.Page.Locator("tr[data-user=carol]").GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();

        var password = await admin.Page.Locator("#new-password code").TextContentAsync();
        Assert.Matches(new Regex("^[A-Za-z0-9]{14}$"), password);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await server.App.RequestTokenAsync("carol", password!)).StatusCode);
        await admin.Page.ReloadAsync();
        await Expect(admin.Page.Locator("#new-password")).ToHaveCountAsync(0);
    }
}
