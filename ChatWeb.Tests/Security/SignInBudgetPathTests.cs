using System.Net;
using System.Net.Http.Json;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Security;

/// <summary>
/// The sign-in budget counts requests by the endpoint they reach, not by how the path is spelled: every
/// spelling that still reaches a password check or a registration spends, and the next try is refused.
/// Each row is a fresh server with a budget of one attempt; the request targets go out byte for byte. Rows
/// whose spelling reaches no sign-in endpoint pin the answer they get instead, so a routing change that
/// made one reach an endpoint shows here.
/// </summary>
public sealed class SignInBudgetPathTests
{
    private const string WrongPassword = """{"userName":"alice","password":"wrong-password"}""";

    [Theory]
    [InlineData("/api/account/token/", HttpStatusCode.Unauthorized)]
    [InlineData("/API/ACCOUNT/TOKEN", HttpStatusCode.Unauthorized)]
    [InlineData("/Api/Account/Token/", HttpStatusCode.Unauthorized)]
    [InlineData("/api/account/%74oken", HttpStatusCode.Unauthorized)]
    [InlineData("/api/account/%54OKEN", HttpStatusCode.Unauthorized)]
    [InlineData("/api/account/./token", HttpStatusCode.Unauthorized)]
    [InlineData("/api/x/../account/token", HttpStatusCode.Unauthorized)]
    [InlineData("/api/account/token?x=1", HttpStatusCode.Unauthorized)]
    [InlineData("/api//account/token", HttpStatusCode.MethodNotAllowed)]
    [InlineData("//api/account/token", HttpStatusCode.BadRequest)]
    [InlineData("/api/account%2Ftoken", HttpStatusCode.MethodNotAllowed)]
    [InlineData("/api/account/token%2F", HttpStatusCode.MethodNotAllowed)]
    [InlineData("/api/account/to%E2%84%AAen", HttpStatusCode.MethodNotAllowed)]
    [InlineData("/api/account/token;x", HttpStatusCode.MethodNotAllowed)]
    public async Task EverySpellingThatReachesTheTokenEndpointSpends(string target, HttpStatusCode answer)
    {
        await using var app = new ChatWebApplication(settings: Budget(1));

        var variant = await RawHttp.SendAsync(app.BaseAddress, "POST", target, WrongPassword);
        Assert.Equal(answer, variant.Status);

        // Reached (401): the one attempt is spent. Any other answer came from no sign-in endpoint (routing found
        // none, or only a GET-only one): nothing was checked, and the budget is whole.
        var next = await app.RequestTokenAsync("alice", "wrong-password");
        Assert.Equal(answer == HttpStatusCode.Unauthorized ? HttpStatusCode.TooManyRequests : HttpStatusCode.Unauthorized, next.StatusCode);
    }

    [Theory]
    [InlineData("/api/account/register/")]
    [InlineData("/API/ACCOUNT/REGISTER")]
    [InlineData("/api/account/%72egister")]
    public async Task EverySpellingThatReachesTheRegisterEndpointSpends(string target)
    {
        await using var app = new ChatWebApplication(settings: Budget(1));

        var variant = await RawHttp.SendAsync(app.BaseAddress, "POST", target, """{"userName":"alice","password":"password-1"}""");
        Assert.Equal(HttpStatusCode.Created, variant.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.RegisterAsync("bob", "password-1")).StatusCode);
    }

    [Theory]
    [InlineData("login", "/login/", HttpStatusCode.OK)]
    [InlineData("login", "/LOGIN", HttpStatusCode.OK)]
    [InlineData("login", "/Login/", HttpStatusCode.OK)]
    [InlineData("login", "/%6Cogin", HttpStatusCode.OK)]
    [InlineData("login", "/./login", HttpStatusCode.OK)]
    [InlineData("login", "/x/../login", HttpStatusCode.OK)]
    [InlineData("login", "/login?ReturnUrl=%2F", HttpStatusCode.OK)]
    [InlineData("login", "//login", HttpStatusCode.MethodNotAllowed)]
    [InlineData("login", "/login%2F", HttpStatusCode.MethodNotAllowed)]
    [InlineData("login", "/log%C4%B1n", HttpStatusCode.MethodNotAllowed)]
    [InlineData("login", "/LOG%C4%B0N", HttpStatusCode.MethodNotAllowed)]
    [InlineData("register", "/register/", HttpStatusCode.OK)]
    [InlineData("register", "/REGISTER", HttpStatusCode.OK)]
    [InlineData("register", "/%72egister/", HttpStatusCode.OK)]
    public async Task EverySpellingThatReachesASignInFormSpends(string form, string target, HttpStatusCode answer)
    {
        await using var app = new ChatWebApplication(settings: Budget(1));
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = app.BaseAddress };

        // Reading the form costs nothing; posting it (under another spelling of its path) does.
        var (fields, _) = await PageForms.ReadFormAsync(client, "/" + form, form);
        fields["Input.UserName"] = "alice";
        fields["Input.Password"] = "short";
        fields["Input.Repeat"] = "short";
        var variant = await RawHttp.SendAsync(app.BaseAddress, "POST", target, await new FormUrlEncodedContent(fields).ReadAsStringAsync(),
            "application/x-www-form-urlencoded", [new("Cookie", cookies.GetCookieHeader(app.BaseAddress))]);
        Assert.Equal(answer, variant.Status);

        var next = await app.RequestTokenAsync("alice", "wrong-password");
        Assert.Equal(answer == HttpStatusCode.OK ? HttpStatusCode.TooManyRequests : HttpStatusCode.Unauthorized, next.StatusCode);
    }

    [Fact]
    public async Task ChangingThePasswordSpendsFromTheSameBudgetOnTheFormAndTheApi()
    {
        await using var app = new ChatWebApplication(settings: Budget(5));
        var token = await app.SignUpAsync("alice");                                                   // 1, 2
        using var browser = app.NewClient();
        await PageForms.SignInAsync(browser, "alice", "password-1");                                  // 3
        using var script = new HttpClient { BaseAddress = app.BaseAddress };
        script.DefaultRequestHeaders.Authorization = new("Bearer", token);

        // A stolen cookie or token guessing the current password: each guess is an attempt.
        Assert.Contains("Incorrect password.", await (await ChangePasswordFormAsync(browser, "guess-number-1")).Content.ReadAsStringAsync()); // 4
        var guess = await script.PostAsJsonAsync("/api/account/password", new { currentPassword = "guess-number-2", newPassword = "password-2" }); // 5
        Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChangePasswordFormAsync(browser, "guess-number-3")).StatusCode);
        var refused = await script.PostAsJsonAsync("/api/account/password", new { currentPassword = "password-1", newPassword = "password-2" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // Reading the form costs nothing.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/password")).StatusCode);
    }

    private static Task<HttpResponseMessage> ChangePasswordFormAsync(HttpClient browser, string current) =>
        PageForms.SubmitAsync(browser, "/account/password", "password", new Dictionary<string, string>
        {
            ["Input.Current"] = current,
            ["Input.New"] = "password-2",
            ["Input.Repeat"] = "password-2",
        });

    internal static Dictionary<string, string?> Budget(int attempts) => new() { ["Security:SignInAttemptsPerMinutePerIp"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
