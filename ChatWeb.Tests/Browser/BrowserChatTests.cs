using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ChatWeb.Server.Control;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatWeb.Tests.Browser;

/// <summary>The chat page in a real browser: two people in two browser contexts, one server.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class BrowserChatTests(BrowserFixture browser, ChatServerFixture server) : IClassFixture<ChatServerFixture>
{
    [Fact]
    public async Task TwoUsersChatBothWaysAndTheirOwnMessagesStandOut()
    {
        await using var alice = await server.SignedInUserAsync(browser, "alice");
        await using var bob = await server.SignedInUserAsync(browser, "bob");
        await alice.Chat.OpenAsync();
        await bob.Chat.OpenAsync();

        await Expect(alice.Chat.OnlineUser("bob")).ToBeVisibleAsync();
        await Expect(bob.Chat.OnlineUser("alice")).ToBeVisibleAsync();
        await Expect(alice.Chat.OnlineUser("alice")).ToBeVisibleAsync();

        await alice.Chat.TypeAndPressEnterAsync("Hi Bob, got a minute?");
        await Expect(bob.Chat.Message("Hi Bob, got a minute?")).ToHaveCountAsync(1);
        await Expect(alice.Chat.Message("Hi Bob, got a minute?")).ToHaveCountAsync(1);
        await Expect(alice.Chat.Input).ToHaveValueAsync("");

        await bob.Chat.TypeAndPressEnterAsync("Sure, what's up?");
        await Expect(alice.Chat.Message("Sure, what's up?")).ToHaveCountAsync(1);

        var own = alice.Chat.Message("Hi Bob, got a minute?");
        var other = alice.Chat.Message("Sure, what's up?");
        await Expect(own).ToHaveClassAsync(Mine());
        await Expect(other).Not.ToHaveClassAsync(Mine());
        await Expect(bob.Chat.Message("Sure, what's up?")).ToHaveClassAsync(Mine());
        // "Visibly different" is about what the eye sees, not just a class name.
        Assert.NotEqual(await BackgroundOf(own), await BackgroundOf(other));

        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }

    [Fact]
    public async Task MarkupInAMessageIsShownAsTextAndNeverRuns()
    {
        const string attack = "<img src=x onerror=alert(1)>";
        const string script = "<script>alert(2)</script><b>bold?</b>";
        await using var alice = await server.SignedInUserAsync(browser, "alice");
        await using var bob = await server.SignedInUserAsync(browser, "bob");
        await alice.Chat.OpenAsync();
        await bob.Chat.OpenAsync();

        await alice.Chat.SayAsync(attack);
        await alice.Chat.SayAsync(script);

        // Two locks, both checked: the text is inserted as text (no element appears), and the server's CSP
        // would block an inline handler anyway (a violation is a recorded problem, as a dialog would be).
        foreach (var user in new[] { alice, bob })
        {
            await Expect(user.Chat.Message(attack)).ToHaveCountAsync(1);
            await Expect(user.Chat.Message(script)).ToHaveCountAsync(1);
            await Expect(user.Page.Locator("#messages img, #messages script, #messages b")).ToHaveCountAsync(0);
        }
        // A reload renders the same text from history: still text, on a page served without inline script.
        var reloaded = await bob.Page.ReloadAsync();
        Assert.Contains("script-src 'self'", reloaded!.Headers["content-security-policy"]);
        Assert.DoesNotContain("unsafe-inline", reloaded.Headers["content-security-policy"]);
        await bob.Chat.WaitUntilConnectedAsync();
        await Expect(bob.Chat.Message(attack)).ToHaveCountAsync(1);
        await Expect(bob.Page.Locator("#messages img")).ToHaveCountAsync(0);

        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }

    [Fact]
    public async Task ReloadShowsTheHistoryInOrderOnce()
    {
        var first = $"before the reload {Guid.NewGuid():N}";
        var second = $"an answer {Guid.NewGuid():N}";
        await using var alice = await server.SignedInUserAsync(browser, "alice");
        await using var bob = await server.SignedInUserAsync(browser, "bob");
        await alice.Chat.OpenAsync();
        await bob.Chat.OpenAsync();
        await alice.Chat.SayAsync(first);
        await Expect(bob.Chat.Message(first)).ToHaveCountAsync(1);
        await bob.Chat.SayAsync(second);
        await Expect(alice.Chat.Message(second)).ToHaveCountAsync(1);

        await alice.Page.ReloadAsync();
        await alice.Chat.WaitUntilConnectedAsync();

        await Expect(alice.Chat.Message(first)).ToHaveCountAsync(1);
        await Expect(alice.Chat.Message(second)).ToHaveCountAsync(1);
        await Expect(alice.Chat.Message(first)).ToHaveClassAsync(Mine());
        var texts = await alice.Chat.TextsAsync();
        Assert.True(texts.ToList().IndexOf(first) < texts.ToList().IndexOf(second), "history is shown oldest first");
        Assert.Empty(alice.Problems);
    }

    [Fact]
    public async Task RefusedMessageShowsWhyKeepsTheTextAndIsNotBroadcast()
    {
        var tooLong = new string('x', ChatServerFixture.MaxMessageLength + 1);
        var next = $"shorter now {Guid.NewGuid():N}";
        await using var alice = await server.SignedInUserAsync(browser, "alice");
        await using var bob = await server.SignedInUserAsync(browser, "bob");
        await alice.Chat.OpenAsync();
        await bob.Chat.OpenAsync();

        await alice.Chat.TypeAndPressEnterAsync(tooLong);

        await Expect(alice.Chat.SendError).ToBeVisibleAsync();
        await Expect(alice.Chat.SendError).ToHaveTextAsync($"message too long ({tooLong.Length} characters, max {ChatServerFixture.MaxMessageLength})");
        await Expect(alice.Chat.Input).ToHaveValueAsync(tooLong);

        // The room keeps one order: once bob sees the next message, a broadcast refused one would already be there.
        await alice.Chat.SayAsync(next);
        await Expect(bob.Chat.Message(next)).ToHaveCountAsync(1);
        await Expect(bob.Chat.Message(tooLong)).ToHaveCountAsync(0);
        await Expect(alice.Chat.Message(tooLong)).ToHaveCountAsync(0);
        await Expect(alice.Chat.SendError).ToBeHiddenAsync();
        Assert.Empty(alice.Problems);
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        await using var alice = await server.SignedInUserAsync(browser, "alice");
        await alice.Chat.OpenAsync();

        await alice.SignOutAsync();

        await alice.Page.GotoAsync("/");
        await alice.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        Assert.Empty(alice.Problems);
    }

    [Fact]
    public async Task PasswordChangedElsewhereDisconnectsTheOpenPageAndSaysWhy()
    {
        // Her own user: the change ends this user's stored sign-in for every later test.
        await using var erin = await server.SignedInUserAsync(browser, "erin");
        await erin.Chat.OpenAsync();

        using var http = server.App.NewClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await server.App.TokenAsync("erin", ChatServerFixture.Password));
        using var changed = await http.PostAsJsonAsync("/api/account/password", new { currentPassword = ChatServerFixture.Password, newPassword = "password-2" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        await Expect(erin.Chat.Status).ToHaveTextAsync("disconnected");
        await Expect(erin.Chat.Notice).ToContainTextAsync("password was changed");
        // Reconnecting needs a session, and that one ended: the page leads to the sign-in page.
        await erin.Chat.Notice.GetByRole(AriaRole.Link, new() { Name = "Reconnect" }).ClickAsync();
        await erin.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        Assert.Empty(erin.Problems);
    }

    [Fact]
    public async Task KickedUserIsToldWhyAndReconnectsOnlyByChoice()
    {
        await using var frank = await server.SignedInUserAsync(browser, "frank");
        await frank.Chat.OpenAsync();

        var kicked = await server.App.Get<ServerControl>().KickAsync("frank", "the test");
        Assert.True(kicked.Succeeded, kicked.Message);

        // The page does not rejoin by itself (that would undo the kick); it says why and offers to.
        await Expect(frank.Chat.Status).ToHaveTextAsync("disconnected");
        await Expect(frank.Chat.Notice).ToContainTextAsync("disconnected by the operator");
        await frank.Chat.Notice.GetByRole(AriaRole.Link, new() { Name = "Reconnect" }).ClickAsync();
        await frank.Chat.WaitUntilConnectedAsync();
        await Expect(frank.Chat.Notice).ToBeHiddenAsync();
        Assert.Empty(frank.Problems);
    }

    private static Task<string> BackgroundOf(ILocator element) =>
        element.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    [GeneratedRegex(@"\bmine\b")]
    private static partial Regex Mine();
}
