using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatWeb.Tests.Browser;

/// <summary>
/// The chat page fits the screen it is on, desktop and phone; this is also where the README's chat
/// pictures come from (<see cref="ReadmeScreenshots"/>), so they always show the page as it is.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserLayoutTests(BrowserFixture browser, ChatServerFixture server) : IClassFixture<ChatServerFixture>
{
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 760 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 780 };

    [Fact]
    public async Task ConversationFitsADesktopAndAPhoneScreen()
    {
        await using var alice = await server.SignedInUserAsync(browser, "alice", Desktop);
        await using var bob = await server.SignedInUserAsync(browser, "bob", Phone);
        await alice.Chat.OpenAsync();
        await bob.Chat.OpenAsync();

        await alice.Chat.SayAsync("Morning Bob! Is the build green again?");
        await Expect(bob.Chat.Message("Morning Bob! Is the build green again?")).ToBeVisibleAsync();
        await bob.Chat.SayAsync("Yes, the flaky test is fixed. It was waiting on a timer instead of the page.");
        await alice.Chat.SayAsync("Great. I'll deploy after lunch, the release notes are in the wiki.");
        await bob.Chat.SayAsync("Ping me if you need a hand with the database migration; I'm around all afternoon.");
        await alice.Chat.SayAsync("Will do, thanks!");
        await Expect(bob.Chat.Message("Will do, thanks!")).ToBeVisibleAsync();

        await AssertFitsAsync(alice);
        await AssertFitsAsync(bob);
        await Expect(bob.Chat.OnlineUser("alice")).ToBeInViewportAsync();

        await ReadmeScreenshots.SaveAsync(alice.Page, "chat.png");
        await ReadmeScreenshots.SaveAsync(bob.Page, "chat-mobile.png");
        Assert.Empty(alice.Problems);
        Assert.Empty(bob.Problems);
    }

    /// <summary>No sideways scrolling; the newest message, the message box and the send button are on screen.</summary>
    private static async Task AssertFitsAsync(BrowserUser user)
    {
        var overflow = await user.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page scrolls sideways by {overflow}px at {user.Page.ViewportSize!.Width}px");
        await Expect(user.Chat.Messages.Last).ToBeInViewportAsync();
        await Expect(user.Chat.Input).ToBeInViewportAsync();
        await Expect(user.Page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeInViewportAsync();
    }
}
