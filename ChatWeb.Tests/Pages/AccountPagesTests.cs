using System.Net;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Pages;

public sealed class AccountPagesTests : ServerTest
{

    [Fact]
    public async Task AnonymousChatPageRedirectsToLogin()
    {
        using var client = App.NewClient(followRedirects: false);
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task RegisterFormCreatesTheAccountSignsInAndWelcomesTheNewUser()
    {
        using var client = App.NewClient();
        var response = await PageForms.SubmitAsync(client, "/register", "register", new Dictionary<string, string>
        {
            ["Input.UserName"] = "alice",
            ["Input.Password"] = "password-1",
            ["Input.Repeat"] = "password-1",
        });

        Assert.Equal("/", response.RequestMessage!.RequestUri!.AbsolutePath);
        var chat = await PageForms.GetPageAsync(client, "/");
        Assert.Equal("Welcome, alice!", chat.GetElementById("welcome")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);
    }

    [Fact]
    public async Task RegisterFormShowsWhyANameIsRefused()
    {
        await App.RegisterAsync("alice", "password-1");
        using var client = App.NewClient();
        var response = await PageForms.SubmitAsync(client, "/register", "register", new Dictionary<string, string>
        {
            ["Input.UserName"] = "ALICE",
            ["Input.Password"] = "password-2",
            ["Input.Repeat"] = "password-2",
        });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("is already taken", html);
        Assert.Equal("/register", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task ReturningUserIsWelcomedBack()
    {
        await App.SignUpAsync("bob", "password-1");
        using var client = App.NewClient();
        await PageForms.SignInAsync(client, "bob", "password-1");
        var chat = await PageForms.GetPageAsync(client, "/");
        Assert.Equal("Welcome back, bob!", chat.GetElementById("welcome")!.TextContent);
    }

    [Fact]
    public async Task WrongPasswordOnTheLoginPageSaysSoAndDoesNotSignIn()
    {
        await App.RegisterAsync("bob", "password-1");
        using var client = App.NewClient();
        var response = await PageForms.SubmitAsync(client, "/login", "login", new Dictionary<string, string>
        {
            ["Input.UserName"] = "bob",
            ["Input.Password"] = "not-the-password",
        });
        Assert.Contains("Wrong name or password.", await response.Content.ReadAsStringAsync());
        Assert.Equal("/login", (await client.GetAsync("/")).RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task FormPostWithoutTheAntiforgeryTokenIsRejected()
    {
        using var client = App.NewClient(followRedirects: false);
        var response = await client.PostAsync("/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["Input.UserName"] = "mallory",
            ["Input.Password"] = "password-1",
            ["Input.Repeat"] = "password-1",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("mallory", "password-1")).StatusCode);
    }

    [Fact]
    public async Task LoginRedirectOnlyFollowsLocalReturnUrls()
    {
        await App.RegisterAsync("bob", "password-1");
        using var client = App.NewClient(followRedirects: false);
        var page = await PageForms.GetPageAsync(client, "/login");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await client.PostAsync("/login?ReturnUrl=https%3A%2F%2Fevil.example%2F", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = "bob",
            ["Input.Password"] = "password-1",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString.Replace(App.BaseAddress.ToString(), "/"));
    }

    [Fact]
    public async Task LogoutEndsTheCookieSession()
    {
        await App.RegisterAsync("bob", "password-1");
        using var client = App.NewClient();
        await PageForms.SignInAsync(client, "bob", "password-1");
        var chat = await PageForms.GetPageAsync(client, "/");
        var token = chat.QuerySelector("form[action='/logout'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal("/login", (await client.GetAsync("/")).RequestMessage!.RequestUri!.AbsolutePath);
    }
}
