using System.Net;
using System.Net.WebSockets;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatWeb.Tests.Security;

/// <summary>
/// Cross-site WebSocket hijacking: a page on another site opens our hub in the victim's browser, which sends
/// the victim's cookie along. Browsers always send <c>Origin</c> on such requests, so every request to
/// <c>/hubs/*</c> (negotiate, the WebSocket upgrade, the other transports) whose Origin is neither ours nor
/// listed is refused with 403; requests without an Origin (scripts, the TCP client's tools) pass.
/// Rows name origins with <c>{port}</c> (the server's port) and <c>{other}</c> (another port).
/// </summary>
public sealed class HubOriginTests : IAsyncLifetime
{
    private const string Negotiate = "/hubs/chat/negotiate?negotiateVersion=1";

    private ChatWebApplication _app = default!;
    private string _cookie = "";

    public async Task InitializeAsync()
    {
        _app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Security:AllowedOrigins:0"] = "https://chat.example.org" });
        _cookie = await SignedInCookieAsync(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("http://127.0.0.1:{other}")]
    [InlineData("https://127.0.0.1:{port}")]
    [InlineData("ws://127.0.0.1:{port}")]
    [InlineData("http://localhost:{port}")]
    [InlineData("http://127.0.0.1.evil.com:{port}")]
    [InlineData("http://127.0.0.1:{port}.evil.com")]
    [InlineData("http://127.0.0.1:{port}@evil.example")]
    [InlineData("http://evil.example/http://127.0.0.1:{port}")]
    [InlineData("http://127.0.0.1:{port}/")]
    [InlineData("http://127.0.0.1:{port}/hubs/chat")]
    [InlineData("http://evil.example, http://127.0.0.1:{port}")]
    [InlineData("https://chat.example.org.evil.com")]
    [InlineData("https://chat.example.org:8443")]
    [InlineData("http://chat.example.org")]
    public async Task AForeignOriginIsRefusedAtNegotiate(string origin)
    {
        var response = await NegotiateAsync(Negotiate, Fill(origin));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("Cross-origin request refused", response.Body);
    }

    [Theory]
    [InlineData("/hubs/chat/negotiate/?negotiateVersion=1")]
    [InlineData("/HUBS/CHAT/NEGOTIATE?negotiateVersion=1")]
    [InlineData("/hubs/./chat/negotiate?negotiateVersion=1")]
    [InlineData("/hubs/%63hat/negotiate?negotiateVersion=1")]
    [InlineData("/hubs/admin/negotiate?negotiateVersion=1")]
    [InlineData("/Hubs/Admin/Negotiate/?negotiateVersion=1")]
    public async Task EverySpellingOfAHubPathIsGuarded(string target)
    {
        // The same spelling from our own page reaches the hub, so the refusal is the origin check's doing.
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(target, Fill("http://127.0.0.1:{port}"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(target, "http://evil.example")).Status);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}")]
    [InlineData("HTTP://127.0.0.1:{port}")]
    [InlineData("https://chat.example.org")]
    [InlineData("https://CHAT.example.org:443")]
    [InlineData(null)]
    public async Task OurOwnOriginAListedOriginAndNoOriginPass(string? origin)
    {
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(Negotiate, origin is null ? null : Fill(origin))).Status);
    }

    [Theory]
    [InlineData("/hubs/chat")]
    [InlineData("/hubs/chat/")]
    [InlineData("/HUBS/CHAT")]
    [InlineData("/hubs/admin")]
    public async Task AWebSocketUpgradeFromAForeignOriginIsRefusedWith403(string path)
    {
        using var foreign = NewSocket("http://evil.example");
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(foreign, path));
        Assert.Equal(WebSocketError.NotAWebSocket, refused.WebSocketErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        // The same cookie from our own page opens the socket.
        using var own = NewSocket(Fill("http://127.0.0.1:{port}"));
        await ConnectAsync(own, path);
        Assert.Equal(WebSocketState.Open, own.State);
        await own.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task TheOtherTransportRequestsAreGuardedToo(string method)
    {
        // Long polling and server-sent events reach the hub's connection endpoint with an id; ours gets SignalR's 404 for an unknown id.
        Assert.Equal(HttpStatusCode.NotFound, (await RawHttp.SendAsync(_app.BaseAddress, method, "/hubs/chat?id=no-such-connection", headers: Headers(Fill("http://127.0.0.1:{port}")))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await RawHttp.SendAsync(_app.BaseAddress, method, "/hubs/chat?id=no-such-connection", headers: Headers("http://evil.example"))).Status);
    }

    [Fact]
    public async Task OriginsArePlainForEverythingButTheHubs()
    {
        var response = await RawHttp.SendAsync(_app.BaseAddress, "POST", "/api/account/token", """{"userName":"admin","password":"wrong-password"}""",
            headers: [new("Origin", "http://evil.example")]);
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task BehindAKnownProxyOurOriginIsTheForwardedScheme()
    {
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Security:KnownProxies:0"] = "127.0.0.1" });
        var cookie = await SignedInCookieAsync(app);
        var port = app.BaseAddress.Port;
        Assert.Equal(HttpStatusCode.OK, (await NegotiateViaTlsProxyAsync($"https://127.0.0.1:{port}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateViaTlsProxyAsync($"http://127.0.0.1:{port}")).Status);

        Task<RawHttpResponse> NegotiateViaTlsProxyAsync(string origin) =>
            RawHttp.SendAsync(app.BaseAddress, "POST", Negotiate, headers:
                [new("Cookie", cookie), new("Origin", origin), new("X-Forwarded-Proto", "https"), new("X-Forwarded-For", "203.0.113.7")]);
    }

    [Theory]
    [InlineData("chat.example.org")]
    [InlineData("https://chat.example.org/")]
    [InlineData("https://chat.example.org/chat")]
    [InlineData("ftp://chat.example.org")]
    [InlineData("null")]
    [InlineData("*")]
    public void AnAllowedOriginThatIsNotAnAbsoluteHttpOriginStopsTheStart(string entry)
    {
        using var data = new TempDirectory();
        var refused = Assert.Throws<OptionsValidationException>(() =>
            new ChatWebApplication(data.Path, new Dictionary<string, string?> { ["Security:AllowedOrigins:0"] = entry }).Dispose());
        Assert.Contains("Security:AllowedOrigins", refused.Message);
        Assert.Contains(entry, refused.Message);
    }

    private string Fill(string origin) =>
        origin.Replace("{port}", _app.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{other}", (_app.BaseAddress.Port == 65535 ? 1 : _app.BaseAddress.Port + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private Task<RawHttpResponse> NegotiateAsync(string target, string? origin) =>
        RawHttp.SendAsync(_app.BaseAddress, "POST", target, headers: Headers(origin));

    private KeyValuePair<string, string>[] Headers(string? origin) =>
        origin is null ? [new("Cookie", _cookie)] : [new("Cookie", _cookie), new("Origin", origin)];

    private ClientWebSocket NewSocket(string origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Cookie", _cookie);
        socket.Options.SetRequestHeader("Origin", origin);
        return socket;
    }

    private async Task ConnectAsync(ClientWebSocket socket, string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new UriBuilder(_app.BaseAddress) { Scheme = "ws", Path = path }.Uri, timeout.Token);
    }

    /// <summary>The admin's browser cookie (the admin may open both hubs): what a hijacking page would ride on.</summary>
    private static async Task<string> SignedInCookieAsync(ChatWebApplication app)
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = app.BaseAddress };
        await PageForms.SignInAsync(browser, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
        return cookies.GetCookieHeader(app.BaseAddress);
    }
}
