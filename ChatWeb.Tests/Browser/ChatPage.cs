using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatWeb.Tests.Browser;

/// <summary>The chat page (/) as a user sees it: what the tests read and where they type.</summary>
public sealed class ChatPage(IPage page)
{
    public ILocator Welcome => page.Locator("#welcome");

    public ILocator Status => page.Locator("#status");

    /// <summary>Every message line, in the order shown.</summary>
    public ILocator Messages => page.Locator("#messages > li");

    /// <summary>The message line(s) whose text is exactly <paramref name="text"/>.</summary>
    public ILocator Message(string text) =>
        Messages.Filter(new() { Has = page.Locator(".text").GetByText(text, new() { Exact = true }) });

    public ILocator OnlineUsers => page.Locator("#users > li");

    public ILocator OnlineUser(string userName) => page.Locator($"#users > li[data-user=\"{userName}\"]");

    public ILocator Input => page.Locator("#text");

    public ILocator SendError => page.Locator("#send-error");

    public ILocator Notice => page.Locator("#notice");

    public async Task OpenAsync()
    {
        await page.GotoAsync("/");
        await WaitUntilConnectedAsync();
    }

    public Task WaitUntilConnectedAsync(float timeoutMs = 10_000) =>
        Expect(Status).ToHaveTextAsync("connected", new() { Timeout = timeoutMs });

    /// <summary>Types a message and presses Enter, as a person does.</summary>
    public async Task TypeAndPressEnterAsync(string text)
    {
        await Input.FillAsync(text);
        await Input.PressAsync("Enter");
    }

    /// <summary>Sends and waits until the page shows the message back from the server.</summary>
    public async Task SayAsync(string text)
    {
        await TypeAndPressEnterAsync(text);
        await Expect(Message(text)).ToHaveCountAsync(1);
    }

    /// <summary>The texts of all message lines, top to bottom.</summary>
    public Task<IReadOnlyList<string>> TextsAsync() => Messages.Locator(".text").AllTextContentsAsync();
}
