using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Gateway;

/// <summary>The netcat-style sign-in of DESIGN.md, over real sockets.</summary>
public sealed class TcpSignInTests : ServerTest
{

    [Fact]
    public async Task NewUserRegistersAtThePromptsAndIsWelcomed()
    {
        await using var client = await TcpTestClient.ConnectAsync(App);
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync("Алиса");
        await client.ExpectAsync("New user Алиса. Choose a password:");
        await client.SendAsync("short");
        await client.ExpectAsync("! Passwords must be at least 8 characters.");
        await client.ExpectAsync("Choose a password:");
        await client.SendAsync("password-1");
        await client.ExpectAsync("Repeat the password:");
        await client.SendAsync("password-2");
        await client.ExpectAsync("! the passwords do not match");
        await client.ExpectAsync("Choose a password:");
        await client.SendAsync("password-1");
        await client.ExpectAsync("Repeat the password:");
        await client.SendAsync("password-1");
        await client.ExpectAsync("Welcome, Алиса!");
        var token = await client.ReadTokenAndHistoryAsync();

        Assert.NotEmpty(token);
        // The same account on the web: the password chosen over TCP works there.
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("Алиса", "password-1")).StatusCode);
    }

    [Fact]
    public async Task InvalidNameIsRefusedAndTheNameAskedAgain()
    {
        await using var client = await TcpTestClient.ConnectAsync(App);
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync("no spaces allowed");
        await client.ExpectAsync("! User name must be 1-32 letters or digits, plus _ - .");
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync("/who");
        await client.ExpectAsync("! sign in first: type your name, or /resume <token>");
        await client.ExpectAsync("Enter your name:");
    }

    [Fact]
    public async Task ReturningUserIsGreetedByNameAndMustGiveThePassword()
    {
        await using (var first = await TcpTestClient.ConnectAsync(App))
        {
            await first.RegisterAsync("bob");
        }

        await using var again = await TcpTestClient.ConnectAsync(App);
        await again.ExpectAsync("Enter your name:");
        await again.SendAsync("BOB");
        await again.ExpectAsync("Hello again, bob! Enter your password:");
        await again.SendAsync("not-the-password");
        await again.ExpectAsync("! wrong password (2 tries left)");
        await again.ExpectAsync("Enter your password:");
        await again.SendAsync("password-1");
        await again.ExpectAsync("Welcome back, bob!");
        await again.ReadTokenAndHistoryAsync();
    }

    [Fact]
    public async Task ThreeWrongPasswordsEndTheConnection()
    {
        await App.SignUpAsync("carol");
        await using var client = await TcpTestClient.ConnectAsync(App);
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync("carol");
        await client.ExpectAsync("Hello again, carol! Enter your password:");
        for (var i = 1; i <= 2; i++)
        {
            await client.SendAsync($"wrong-{i}-password");
            await client.ReadLineAsync();
            await client.ExpectAsync("Enter your password:");
        }
        await client.SendAsync("wrong-3-password");

        Assert.Equal(["! wrong password 3 times; goodbye"], await client.ReadToEndAsync());
    }

    [Fact]
    public async Task FiveFailuresAcrossTcpAndWebLockTheAccountForBoth()
    {
        await App.SignUpAsync("dave");
        await using (var client = await TcpTestClient.ConnectAsync(App))
        {
            await client.ExpectAsync("Enter your name:");
            await client.SendAsync("dave");
            await client.ReadLineAsync();
            for (var i = 0; i < 3; i++) await client.SendAsync("wrong-password");
            Assert.Contains("! wrong password 3 times; goodbye", await client.ReadToEndAsync());
        }
        // The fourth and fifth wrong passwords are checked and answered as wrong; the fifth locks the account.
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("dave", "wrong-password")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("dave", "wrong-password")).StatusCode);
        Assert.Equal(HttpStatusCode.Locked, (await App.RequestTokenAsync("dave", "wrong-password")).StatusCode);

        // Locked everywhere, even with the right password.
        Assert.Equal(HttpStatusCode.Locked, (await App.RequestTokenAsync("dave", "password-1")).StatusCode);
        await using var locked = await TcpTestClient.ConnectAsync(App);
        await locked.ExpectAsync("Enter your name:");
        await locked.SendAsync("dave");
        await locked.ExpectAsync("Hello again, dave! Enter your password:");
        await locked.SendAsync("password-1");
        Assert.Equal(["! account locked after too many failed sign-ins; try again in a few minutes"], await locked.ReadToEndAsync());
    }

    [Fact]
    public async Task ResumeWithTheSessionTokenSignsInWithoutAPassword()
    {
        string token;
        await using (var first = await TcpTestClient.ConnectAsync(App))
        {
            token = await first.RegisterAsync("erin");
        }

        await using var resumed = await TcpTestClient.ConnectAsync(App);
        await resumed.ExpectAsync("Enter your name:");
        await resumed.SendAsync($"/resume {token}");
        await resumed.ExpectAsync("Welcome back, erin!");
        await resumed.ReadTokenAndHistoryAsync();
        await resumed.SendAsync("/who");
        await resumed.ExpectAsync("* Online (1):");
        await resumed.ExpectAsync("*   erin: tcp");

        // A web access token is the same kind of token.
        await using var fromWeb = await TcpTestClient.ConnectAsync(App);
        await fromWeb.ExpectAsync("Enter your name:");
        await fromWeb.SendAsync("/resume " + await App.TokenAsync("erin", "password-1"));
        await fromWeb.ExpectAsync("Welcome back, erin!");
    }

    [Fact]
    public async Task ForgedTokenIsRefusedAndTheNameAskedInstead()
    {
        await using var client = await TcpTestClient.ConnectAsync(App);
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync("/resume CfDJ8forged-token-that-was-never-issued");
        await client.ExpectAsync("! that session token is not valid (expired, revoked or forged); sign in with your name");
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync("frank");
        await client.ExpectAsync("New user frank. Choose a password:");
    }

    [Fact]
    public async Task PasswordChangeEndsTheTcpSessionAndItsToken()
    {
        await using var client = await TcpTestClient.ConnectAsync(App);
        var token = await client.RegisterAsync("gina");

        // The TCP session token opens TCP /resume only; the change is made with an API token.
        using var http = App.NewClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await App.TokenAsync("gina"));
        var changed = await http.PostAsJsonAsync("/api/account/password", new { currentPassword = "password-1", newPassword = "password-2" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        Assert.Equal(["! your password was changed; sign in again"], await client.ReadToEndAsync());
        await using var stale = await TcpTestClient.ConnectAsync(App);
        await stale.ExpectAsync("Enter your name:");
        await stale.SendAsync($"/resume {token}");
        await stale.ExpectAsync("! that session token is not valid (expired, revoked or forged); sign in with your name");
    }

    [Fact]
    public async Task SignInBudgetOfAnAddressIsSharedByTheWebAndTcp()
    {
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinutePerIp"] = "4" });
        await app.RegisterAsync("hana", "password-1");                                                  // 1
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.RequestTokenAsync("hana", "wrong-password")).StatusCode); // 2

        await using var client = await TcpTestClient.ConnectAsync(app);
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync("hana");                                                                 // 3: the name is looked up
        await client.ExpectAsync("Hello again, hana! Enter your password:");
        await client.SendAsync("wrong-password");                                                       // 4
        await client.ExpectAsync("! wrong password (2 tries left)");
        await client.ExpectAsync("Enter your password:");
        await client.SendAsync("password-1");

        Assert.Equal(["! too many sign-in attempts from your address; try again in a minute"], await client.ReadToEndAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.RequestTokenAsync("hana", "password-1")).StatusCode);
    }

    [Fact]
    public async Task ExitAtThePromptClosesTheConnection()
    {
        await using var client = await TcpTestClient.ConnectAsync(App);
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync("exit");
        Assert.Empty(await client.ReadToEndAsync());
    }
}
