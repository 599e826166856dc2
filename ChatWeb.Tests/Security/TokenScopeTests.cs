using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatWeb.Server.Accounts;
using ChatWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;

namespace ChatWeb.Tests.Security;

/// <summary>
/// What each token opens: an API token the API, the chat hub and TCP /resume; the session token printed over
/// plain TCP only TCP /resume; no token any admin path. The scope is inside the protected token.
/// </summary>
public sealed class TokenScopeTests : ServerTest
{
    private const string ResumeRefused = "! that session token is not valid (expired, revoked or forged); sign in with your name";

    [Fact]
    public async Task TcpSessionTokenIsRefusedOnTheApiAndTheChatHub()
    {
        await using var tcp = await TcpTestClient.ConnectAsync(App);
        var sessionToken = await tcp.RegisterAsync("bob");

        using var api = WithBearer(sessionToken);
        using var change = await api.PostAsJsonAsync("/api/account/password", new { currentPassword = Api.DefaultPassword, newPassword = "sniffed-and-taken" });
        Assert.Equal(HttpStatusCode.Unauthorized, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync("/hubs/chat", sessionToken, inQuery: true));
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync("/hubs/chat", sessionToken, inQuery: false));
        Assert.False(string.IsNullOrEmpty(await App.TokenAsync("bob")), "the refused request must not have changed the password");
    }

    [Fact]
    public async Task TcpSessionTokenResumesATcpSession()
    {
        string sessionToken;
        await using (var first = await TcpTestClient.ConnectAsync(App)) sessionToken = await first.RegisterAsync("bob");

        await using var resumed = await TcpTestClient.ConnectAsync(App);
        var next = await resumed.ResumeAsync("bob", sessionToken);
        Assert.NotEqual(sessionToken, next);
    }

    [Fact]
    public async Task ApiTokenOpensTheApiTheChatHubAndTcpResume()
    {
        var token = await App.SignUpAsync("bob");

        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync("/hubs/chat", token, inQuery: true));
        await using (var hub = await HubTestClient.ConnectAsync(App, token))
            Assert.Equal("hi", (await hub.InvokeAsync("Send", "hi")).GetProperty("text").GetString());
        await using (var tcp = await TcpTestClient.ConnectAsync(App))
            await tcp.ResumeAsync("bob", token);

        using var api = WithBearer(token);
        using var change = await api.PostAsJsonAsync("/api/account/password", new { currentPassword = Api.DefaultPassword, newPassword = "password-2" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
    }

    [Fact]
    public async Task AdminsApiTokenOpensNoAdminPath()
    {
        var token = await App.TokenAsync(ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
        using var api = WithBearer(token);

        foreach (var path in new[] { "/admin", "/admin/users", "/admin/logs", "/Admin/Users/" })
        {
            using var page = await api.GetAsync(path);
            Assert.True(page.StatusCode == HttpStatusCode.Forbidden, $"{path}: {page.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync("/hubs/admin", token, inQuery: true));
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync("/hubs/admin", token, inQuery: false));
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync("/HUBS/Admin", token, inQuery: false));
    }

    [Fact]
    public async Task TamperedTokenIsRefusedEverywhere()
    {
        var token = await App.SignUpAsync("bob");
        var middle = token.Length / 2;
        var tampered = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];

        await AssertRefusedEverywhereAsync(tampered);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("Api")]
    [InlineData("API")]
    [InlineData("api ")]
    [InlineData("")]
    [InlineData("api\napi")]
    public async Task TokenWithAScopeOtherThanTheKnownOnesIsRefused(string scope)
    {
        // Made with the server's own keys and purpose, as only the server can: the scope text itself is judged.
        await App.RegisterNewAsync("bob");
        var stamp = App.Get<AccountFile>().Find("bob")!.SecurityStamp;
        var forged = Protector("ChatWeb.Accounts.AccessToken.v2").Protect($"{scope}\nbob\n{stamp}", DateTimeOffset.UtcNow.AddHours(1));

        await AssertRefusedEverywhereAsync(forged);
    }

    [Fact]
    public async Task UnscopedTokenFromBeforeScopesIsRefused()
    {
        // The format every token had before scopes: it did not say what it may open, so it opens nothing.
        await App.RegisterNewAsync("bob");
        var stamp = App.Get<AccountFile>().Find("bob")!.SecurityStamp;
        var old = Protector("ChatWeb.Accounts.AccessToken.v1").Protect($"bob\n{stamp}", DateTimeOffset.UtcNow.AddHours(1));

        await AssertRefusedEverywhereAsync(old);
    }

    private async Task AssertRefusedEverywhereAsync(string token)
    {
        using var api = WithBearer(token);
        using var change = await api.PostAsJsonAsync("/api/account/password", new { currentPassword = Api.DefaultPassword, newPassword = "password-2" });
        Assert.Equal(HttpStatusCode.Unauthorized, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync("/hubs/chat", token, inQuery: true));

        await using var tcp = await TcpTestClient.ConnectAsync(App);
        await tcp.ExpectAsync("Enter your name:");
        await tcp.SendAsync($"/resume {token}");
        await tcp.ExpectAsync(ResumeRefused);
        await tcp.ExpectAsync("Enter your name:");
    }

    private ITimeLimitedDataProtector Protector(string purpose) =>
        App.Get<IDataProtectionProvider>().CreateProtector(purpose).ToTimeLimitedDataProtector();

    private HttpClient WithBearer(string token)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<HttpStatusCode> NegotiateAsync(string hub, string token, bool inQuery)
    {
        using var http = inQuery ? new HttpClient { BaseAddress = App.BaseAddress } : WithBearer(token);
        var query = inQuery ? "&access_token=" + Uri.EscapeDataString(token) : "";
        using var response = await http.PostAsync($"{hub}/negotiate?negotiateVersion=1{query}", content: null);
        return response.StatusCode;
    }
}
