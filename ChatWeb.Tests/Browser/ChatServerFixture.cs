using System.Collections.Concurrent;
using System.Net;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ChatWeb.Tests.Browser;

/// <summary>
/// One ChatWeb server for a browser test class, and each user's signed-in browser state, made once
/// through the real /login form and reused by every test (a context starts signed in, in milliseconds).
/// </summary>
public sealed class ChatServerFixture : IAsyncLifetime
{
    public const string Password = "password-1";

    /// <summary>Short enough that a test can type a refused message quickly.</summary>
    public const int MaxMessageLength = 100;

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _signedIn = new(StringComparer.OrdinalIgnoreCase);

    public ChatWebApplication App { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Chat:MaxMessageLength"] = MaxMessageLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A browser user already signed in as <paramref name="userName"/> (registered on first use).</summary>
    public Task<BrowserUser> SignedInUserAsync(BrowserFixture browser, string userName, ViewportSize? viewport = null) =>
        SignedInAsync(browser, userName, Password, register: true, viewport);

    /// <summary>A browser user signed in as the seeded admin (for the admin pages and their screenshots).</summary>
    public Task<BrowserUser> SignedInAdminAsync(BrowserFixture browser, ViewportSize? viewport = null) =>
        SignedInAsync(browser, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword, register: false, viewport);

    private async Task<BrowserUser> SignedInAsync(BrowserFixture browser, string userName, string password, bool register, ViewportSize? viewport)
    {
        var state = await _signedIn.GetOrAdd(userName, name => new(() => SignInOnceAsync(browser, name, password, register))).Value;
        return await browser.NewUserAsync(App.BaseAddress, state, viewport);
    }

    private async Task<string> SignInOnceAsync(BrowserFixture browser, string userName, string password, bool register)
    {
        if (register)
        {
            using var registered = await App.RegisterAsync(userName, password);
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }
        await using var user = await browser.NewUserAsync(App.BaseAddress);
        await user.SignInAsync(userName, password);
        return await user.SignedInStateAsync();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}
