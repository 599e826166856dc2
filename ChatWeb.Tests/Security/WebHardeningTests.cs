using System.Net;
using System.Net.Http.Json;
using ChatWeb.Server.Accounts;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatWeb.Tests.Security;

public sealed class WebHardeningTests
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/register")]
    [InlineData("/css/site.css")]
    [InlineData("/api/account/token")]
    [InlineData("/no-such-page")]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path)
    {
        await using var app = new ChatWebApplication();
        using var client = app.NewClient(followRedirects: false);
        var response = await client.GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task CookiesAreHttpOnlyAndSameSite()
    {
        await using var app = new ChatWebApplication();
        await app.RegisterAsync("alice", "password-1");
        using var client = app.NewClient(followRedirects: false);
        var response = await PageForms.SubmitAsync(client, "/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "alice",
            ["Input.Password"] = "password-1",
        });
        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("chatweb.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ServerErrorsShowNoStackTrace()
    {
        await using var app = new ChatWebApplication();
        using var client = app.NewClient();
        // A body that is not JSON at all: the framework answers, the server keeps its internals to itself.
        var response = await client.PostAsync("/api/account/token", new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("Exception", body);
    }

    [Fact]
    public async Task SignInAttemptsOverTheBudgetGet429AcrossApiAndForms()
    {
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinutePerIp"] = "4" });
        await app.RegisterAsync("alice", "password-1");                       // 1
        await app.RequestTokenAsync("alice", "wrong-password");               // 2
        using var client = app.NewClient();
        await PageForms.SubmitAsync(client, "/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "alice",
            ["Input.Password"] = "wrong-again",
        });                                                                  // 3
        Assert.Equal(HttpStatusCode.OK, (await app.RequestTokenAsync("alice", "password-1")).StatusCode); // 4

        var refused = await app.RequestTokenAsync("alice", "password-1");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());

        var page = await PageForms.SubmitAsync(client, "/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "alice",
            ["Input.Password"] = "password-1",
        });
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("Too many requests", await page.Content.ReadAsStringAsync());

        // Reading pages costs nothing.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
    }

    [Fact]
    public async Task ForwardedForIsIgnoredUnlessTheProxyIsKnown()
    {
        await using (var app = new ChatWebApplication())
        {
            Assert.Equal("127.0.0.1", await LastIpAfterSignInVia(app, "203.0.113.7"));
        }
        await using (var behindProxy = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Security:KnownProxies:0"] = "127.0.0.1" }))
        {
            Assert.Equal("203.0.113.7", await LastIpAfterSignInVia(behindProxy, "203.0.113.7"));
        }
    }

    private static async Task<string?> LastIpAfterSignInVia(ChatWebApplication app, string forwardedFor)
    {
        await app.RegisterAsync("alice", "password-1");
        using var client = app.NewClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        var response = await client.PostAsJsonAsync("/api/account/token", new { userName = "alice", password = "password-1" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return app.Get<AccountSessions>().RevealLastIp(app.Get<AccountFile>().Find("alice")!);
    }
}
