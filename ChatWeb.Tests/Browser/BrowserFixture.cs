using Microsoft.Playwright;

namespace ChatWeb.Tests.Browser;

/// <summary>
/// One headless Debian chromium shared by every browser test (they form one collection, so they run one
/// after another and never fight over the two cores); each user gets a browser context of their own.
/// Playwright never downloads a browser here: the tests drive the system's chromium.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
        // Loopback HTTP only; QUIC probing is noise in a test run.
        "--disable-quic",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not started");

    public async Task InitializeAsync()
    {
        // A missing browser is a failure with instructions, never a skip: a green run must mean the page was tested.
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"The browser tests need Debian's chromium at {ChromiumPath}, and it is missing. "
                + "Run ./test.sh (it installs chromium) or `sudo apt-get install -y chromium`.");

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser context (its own cookies: one user) on <paramref name="baseAddress"/>.</summary>
    public async Task<BrowserUser> NewUserAsync(Uri baseAddress, string? storageState = null, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            StorageState = storageState,
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-US",
        });
        // Fail in seconds, not Playwright's default 30: every step here is a loopback round trip.
        context.SetDefaultTimeout(10_000);
        return await BrowserUser.OpenAsync(context);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
