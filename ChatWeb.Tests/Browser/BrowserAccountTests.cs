using ChatWeb.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatWeb.Tests.Browser;

/// <summary>The account pages in a real browser: forms with their real antiforgery tokens, cookies, redirects.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserAccountTests(BrowserFixture browser, ChatServerFixture server) : IClassFixture<ChatServerFixture>
{
    private const string Password = ChatServerFixture.Password;

    [Fact]
    public async Task NewUserRegistersThroughTheFormAndIsWelcomedByName()
    {
        await using var maria = await browser.NewUserAsync(server.App.BaseAddress);
        await maria.Page.GotoAsync("/register");
        await maria.Page.Locator("#register-name").FillAsync("Мария");
        await maria.Page.Locator("#register-password").FillAsync(Password);
        await maria.Page.Locator("#register-repeat").FillAsync(Password);
        await maria.Page.Locator("#register-submit").ClickAsync();

        await maria.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(maria.Chat.Welcome).ToHaveTextAsync("Welcome, Мария!");
        await maria.Chat.WaitUntilConnectedAsync();
        await Expect(maria.Chat.OnlineUser("Мария")).ToBeVisibleAsync();
        Assert.Empty(maria.Problems);
    }

    [Fact]
    public async Task ReturningUserSignsInThroughTheFormAndIsWelcomedBack()
    {
        await server.App.SignUpAsync("dave", Password);
        await using var dave = await browser.NewUserAsync(server.App.BaseAddress);
        await dave.SignInAsync("dave", Password);
        await dave.SignOutAsync();

        await dave.SignInAsync("dave", Password);

        await Expect(dave.Chat.Welcome).ToHaveTextAsync("Welcome back, dave!");
        await dave.Chat.WaitUntilConnectedAsync();
        Assert.Empty(dave.Problems);
    }

    [Fact]
    public async Task WrongPasswordKeepsTheVisitorOnTheSignInPageAndSaysSo()
    {
        await server.App.SignUpAsync("frank", Password);
        await using var visitor = await browser.NewUserAsync(server.App.BaseAddress);
        await visitor.Page.GotoAsync("/login");
        await visitor.Page.Locator("#login-name").FillAsync("frank");
        await visitor.Page.Locator("#login-password").FillAsync("not-his-password");
        await visitor.Page.Locator("#login-submit").ClickAsync();

        await Expect(visitor.Page.Locator("#login-error")).ToHaveTextAsync("Wrong name or password.");
        Assert.Equal("/login", new Uri(visitor.Page.Url).AbsolutePath);
        Assert.Empty(visitor.Problems);
    }

    [Fact]
    public async Task AnonymousVisitorOfTheChatIsSentToSignIn()
    {
        await using var visitor = await browser.NewUserAsync(server.App.BaseAddress);

        await visitor.Page.GotoAsync("/");

        Assert.Equal("/login", new Uri(visitor.Page.Url).AbsolutePath);
        await Expect(visitor.Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Empty(visitor.Problems);
    }

    [Fact]
    public async Task UserChangesTheirPasswordThroughTheFormAndSignsInWithTheNewOne()
    {
        await server.App.SignUpAsync("grace", Password);
        await using var grace = await browser.NewUserAsync(server.App.BaseAddress);
        await grace.SignInAsync("grace", Password);

        await grace.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "grace" }).ClickAsync();
        await grace.Page.Locator("#password-current").FillAsync(Password);
        await grace.Page.Locator("#password-new").FillAsync("a-new-password");
        await grace.Page.Locator("#password-repeat").FillAsync("a-new-password");
        await grace.Page.Locator("#password-submit").ClickAsync();

        await Expect(grace.Page.Locator("#password-changed")).ToBeVisibleAsync();
        // This browser was signed in again under the new password: the chat still opens.
        await grace.Chat.OpenAsync();
        await grace.SignOutAsync();
        await grace.SignInAsync("grace", "a-new-password");
        await Expect(grace.Chat.Welcome).ToHaveTextAsync("Welcome back, grace!");
        Assert.Empty(grace.Problems);
    }
}
