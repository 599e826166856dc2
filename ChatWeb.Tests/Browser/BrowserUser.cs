using Microsoft.Playwright;

namespace ChatWeb.Tests.Browser;

/// <summary>
/// One person at a browser: a context of their own (cookies, storage) with one tab. Records what a user
/// must never meet: script dialogs (alert from injected markup), uncaught script errors and violations of
/// the server's Content-Security-Policy (a page that needs inline script breaks under it).
/// </summary>
public sealed class BrowserUser : IAsyncDisposable
{
    private readonly List<string> _problems = [];

    private BrowserUser(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        Chat = new ChatPage(page);
        page.Dialog += (_, dialog) =>
        {
            Record($"dialog ({dialog.Type}): {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) => Record($"script error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                Record($"CSP violation: {message.Text}");
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public ChatPage Chat { get; }

    /// <summary>Dialogs, script errors and CSP violations seen so far; a healthy page has none.</summary>
    public IReadOnlyList<string> Problems
    {
        get { lock (_problems) return _problems.ToList(); }
    }

    internal static async Task<BrowserUser> OpenAsync(IBrowserContext context) => new(context, await context.NewPageAsync());

    /// <summary>Signs in through the real /login form (antiforgery and all) and waits for the chat page.</summary>
    public async Task SignInAsync(string userName, string password)
    {
        await Page.GotoAsync("/login");
        await Page.Locator("#login-name").FillAsync(userName);
        await Page.Locator("#login-password").FillAsync(password);
        await Page.Locator("#login-submit").ClickAsync();
        // A sign-in is a PBKDF2 check, which queues behind the other test classes' on a busy two-core machine (once
        // past 10 s in a full run); the page's own waits keep the shorter default.
        try
        {
            await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/", new() { Timeout = 30_000 });
        }
        catch (TimeoutException ex)
        {
            // Say where the sign-in stopped and what the page said, so a failure in a full run can be told apart.
            var text = await Page.Locator("body").InnerTextAsync(new() { Timeout = 2_000 });
            throw new TimeoutException($"sign-in of {userName} never reached the chat page; the page is {Page.Url}: {text}", ex);
        }
    }

    /// <summary>Signs out with the button in the top bar, as a person does, and waits for the sign-in page.</summary>
    public async Task SignOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
    }

    /// <summary>Cookies and local storage of this context, for <see cref="BrowserFixture.NewUserAsync"/>: sign in once, reuse everywhere.</summary>
    public Task<string> SignedInStateAsync() => Context.StorageStateAsync();

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    private void Record(string problem)
    {
        lock (_problems) _problems.Add(problem);
    }
}
