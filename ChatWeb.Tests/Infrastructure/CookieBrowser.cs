using System.Net;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// A client signed in through the real login form whose cookies can be read, so the same sign-in can open a
/// hub (a WebSocket takes the cookie as a header) or be replayed after the account changed.
/// </summary>
public sealed class CookieBrowser : IDisposable
{
    private readonly CookieContainer _jar = new();
    private readonly Uri _baseAddress;

    private CookieBrowser(Uri baseAddress)
    {
        _baseAddress = baseAddress;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = _jar }) { BaseAddress = baseAddress };
    }

    /// <summary>Redirects are not followed, so a test sees a sign-out (302 to /login) as it is.</summary>
    public HttpClient Http { get; }

    /// <summary>The cookies as a browser would send them (the sign-in cookie among them).</summary>
    public string CookieHeader => _jar.GetCookieHeader(_baseAddress);

    public static async Task<CookieBrowser> SignInAsync(IChatWebServer server, string userName, string password)
    {
        var browser = new CookieBrowser(server.BaseAddress);
        await PageForms.SignInAsync(browser.Http, userName, password);
        Assert.Contains("chatweb.auth=", browser.CookieHeader);
        return browser;
    }

    /// <summary>A bare client that sends exactly the cookie header given: the stolen or kept cookie of an attack.</summary>
    public static HttpClient Replaying(IChatWebServer server, string cookieHeader)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Add("Cookie", cookieHeader);
        return http;
    }

    public void Dispose() => Http.Dispose();
}
