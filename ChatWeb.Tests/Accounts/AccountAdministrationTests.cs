using System.Net;
using System.Net.Http.Headers;
using ChatWeb.Server.Accounts;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Accounts;

/// <summary>The operator's account actions on a running server, each in a scope of its own as a page or a console line runs it.</summary>
public sealed class AccountAdministrationTests : ServerTest
{
    private string LogFile => Path.Combine(App.DataDirectory, "log.txt");

    private Task<T> Administer<T>(Func<AccountAdministration, Task<T>> action) => App.AdministerAsync(action);

    [Fact]
    public async Task WipeRefusesTheTcpResumeTokenAndClosesTheTcpSession()
    {
        await using var tcp = await TcpTestClient.ConnectAsync(App);
        var token = await tcp.RegisterAsync("tess");

        await Administer(accounts => accounts.WipeAsync("test"));

        Assert.Equal(["! your account was removed by the operator"], await tcp.ReadToEndAsync());
        await using var resume = await TcpTestClient.ConnectAsync(App);
        await resume.ExpectAsync("Enter your name:");
        await resume.SendAsync($"/resume {token}");
        Assert.StartsWith("! that session token is not valid", await resume.ReadLineAsync());
    }

    [Fact]
    public async Task WipeEndsCookiesTokensAndConnectionsButKeepsTheAdmin()
    {
        var token = await App.SignUpAsync("alice");
        using var browser = App.NewClient();
        await PageForms.SignInAsync(browser, "alice", "password-1");
        await using var hub = await HubTestClient.ConnectAsync(App, token);

        var result = await Administer(accounts => accounts.WipeAsync("test"));

        Assert.Equal(ControlResult.Done("1 account(s) removed; admin accounts kept."), result);
        await hub.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(hub.Events, e => e.Target == "Notice" && e.Argument.GetProperty("text").GetString() == "your account was removed by the operator");
        Assert.Equal("/login", (await browser.GetAsync("/")).RequestMessage!.RequestUri!.AbsolutePath);
        using var bearer = App.NewClient(followRedirects: false);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.PostAsync("/api/account/password", JsonBody("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await HubTestClient.UpgradeStatusAsync(App, token));

        Assert.Equal([ChatWebApplication.AdminName], LoginsFile.Read(Path.Combine(App.DataDirectory, "logins.csv")).Select(u => u.UserName));
        Assert.Equal(HttpStatusCode.Created, (await App.RegisterAsync("alice", "password-9")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync(ChatWebApplication.AdminName, ChatWebApplication.AdminPassword)).StatusCode);
        await ServerLog.WaitForAsync(LogFile, "Operator test wiped the accounts of alice");
    }

    [Fact]
    public async Task ResetPasswordEndsTheOldPasswordAndSessionsAndTheNewOneSignsIn()
    {
        var token = await App.SignUpAsync("alice");
        await using var hub = await HubTestClient.ConnectAsync(App, token);

        var (result, password) = await Administer(accounts => accounts.ResetPasswordAsync("ALICE", "test"));

        Assert.Equal(ControlResult.Done("alice has a new password; their sessions were ended."), result);
        Assert.Equal(14, password!.Length);
        await hub.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, await HubTestClient.UpgradeStatusAsync(App, token));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("alice", password)).StatusCode);
        await ServerLog.WaitForAsync(LogFile, "Operator test reset the password of alice");

        var (missing, none) = await Administer(accounts => accounts.ResetPasswordAsync("nobody", "test"));
        Assert.Equal(ControlResult.Failed("There is no account nobody."), missing);
        Assert.Null(none);
    }

    [Fact]
    public async Task UnlockLetsALockedUserSignInAtOnce()
    {
        await App.RegisterAsync("alice", "password-1");
        for (var i = 0; i < 5; i++) await App.RequestTokenAsync("alice", "wrong-password");
        Assert.Equal(HttpStatusCode.Locked, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);

        Assert.Equal(ControlResult.Done("alice is unlocked."), await Administer(accounts => accounts.UnlockAsync("alice", "test")));

        Assert.Equal(HttpStatusCode.OK, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);
        Assert.Equal(0, App.Get<AccountFile>().Find("alice")!.AccessFailedCount);
        Assert.Equal(ControlResult.Failed("There is no account nobody."), await Administer(accounts => accounts.UnlockAsync("nobody", "test")));
    }

    [Fact]
    public async Task DeleteRemovesTheAccountFromTheLoginsFileButNeverAnAdmin()
    {
        await App.RegisterAsync("alice", "password-1");
        Assert.Equal(ControlResult.Done("The account alice was deleted."), await Administer(accounts => accounts.DeleteAsync("alice", "test")));
        Assert.Equal([ChatWebApplication.AdminName], LoginsFile.Read(Path.Combine(App.DataDirectory, "logins.csv")).Select(u => u.UserName));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("alice", "password-1")).StatusCode);
        await ServerLog.WaitForAsync(LogFile, "Operator test deleted the account alice");

        Assert.Equal(ControlResult.Failed("Admin accounts cannot be deleted here."),
            await Administer(accounts => accounts.DeleteAsync(ChatWebApplication.AdminName, "test")));
        Assert.Equal(ControlResult.Failed("There is no account nobody."), await Administer(accounts => accounts.DeleteAsync("nobody", "test")));
        Assert.NotNull(App.Get<AccountFile>().Find(ChatWebApplication.AdminName));
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
