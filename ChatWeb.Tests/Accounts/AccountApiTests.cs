using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Accounts;

public sealed class AccountApiTests : ServerTest
{

    [Fact]
    public async Task RegisteringANewNameReturnsCreated()
    {
        var response = await App.RegisterAsync("alice", "password-1");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task RussianNamesAreWelcome()
    {
        Assert.Equal(HttpStatusCode.Created, (await App.RegisterAsync("Наташа", "пароль-длинный")).StatusCode);
        Assert.False(string.IsNullOrEmpty(await App.TokenAsync("наташа", "пароль-длинный")));
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("ALICE")]
    [InlineData("Alice")]
    public async Task SameNameInAnotherLetterCaseIsAConflict(string again)
    {
        await App.RegisterAsync("alice", "password-1");
        var response = await App.RegisterAsync(again, "password-2");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Contains("already registered", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("", "User name")]
    [InlineData("has space", "User name")]
    [InlineData("<script>", "User name")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "User name")]
    public async Task BadNamesAreRefusedWithAReason(string name, string reason)
    {
        var response = await App.RegisterAsync(name, "password-1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShortPasswordIsRefusedWithAReason()
    {
        var response = await App.RegisterAsync("bob", "short");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("at least 8", problem.GetProperty("errors").GetProperty("password")[0].GetString());
    }

    [Fact]
    public async Task EightCharactersWithoutDigitsOrSymbolsAreEnough()
    {
        Assert.Equal(HttpStatusCode.Created, (await App.RegisterAsync("bob", "abcdefgh")).StatusCode);
    }

    [Fact]
    public async Task RightPasswordGetsATokenAndWrongGets401()
    {
        await App.RegisterAsync("alice", "password-1");

        var ok = await App.RequestTokenAsync("alice", "password-1");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("accessToken").GetString()));
        Assert.Equal(24 * 3600, body.GetProperty("expiresIn").GetInt32());

        var wrong = await App.RequestTokenAsync("alice", "password-2");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("nobody", "password-1")).StatusCode);
    }

    [Fact]
    public async Task AfterFiveWrongPasswordsEvenTheRightOneGets423()
    {
        await App.RegisterAsync("alice", "password-1");
        // Five password checks, each answered as wrong; the fifth locks the account.
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("alice", "wrong-password")).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await App.RequestTokenAsync("alice", "wrong-password")).StatusCode);

        var locked = await App.RequestTokenAsync("alice", "password-1");
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PasswordChangeEndsTheOtherCookieAndTokenAtOnce()
    {
        var oldToken = await App.SignUpAsync("alice", "password-1");
        using var browser = App.NewClient();
        await PageForms.SignInAsync(browser, "alice", "password-1");
        Assert.Equal("/", (await browser.GetAsync("/")).RequestMessage!.RequestUri!.AbsolutePath);
        await using var liveHub = await HubTestClient.ConnectAsync(App, oldToken);

        using var api = App.NewClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await App.TokenAsync("alice", "password-1"));
        var change = await api.PostAsJsonAsync("/api/account/password", new { currentPassword = "password-1", newPassword = "password-2" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(oldToken).PostAsJsonAsync("/api/account/password", new { currentPassword = "password-2", newPassword = "password-3" })).StatusCode);
        Assert.Contains("/login", (await browser.GetAsync("/")).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, await HubTestClient.UpgradeStatusAsync(App, oldToken));
        await liveHub.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("password was changed", (await liveHub.NextAsync("Notice")).Argument.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("alice", "password-2")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);
    }

    [Fact]
    public async Task PasswordChangeWithTheWrongCurrentPasswordIs400()
    {
        var token = await App.SignUpAsync("alice", "password-1");
        var response = await Bearer(token).PostAsJsonAsync("/api/account/password", new { currentPassword = "not-it-at-all", newPassword = "password-2" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);
    }

    [Fact]
    public async Task PasswordChangeNeedsASignedInUser()
    {
        using var anonymous = App.NewClient(followRedirects: false);
        var response = await anonymous.PostAsJsonAsync("/api/account/password", new { currentPassword = "a", newPassword = "b" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private HttpClient Bearer(string token)
    {
        var client = App.NewClient(followRedirects: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
