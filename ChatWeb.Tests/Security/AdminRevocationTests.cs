using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using ChatWeb.Server.Accounts;
using ChatWeb.Server.AdminLog;
using ChatWeb.Server.Hubs;
using ChatWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatWeb.Tests.Security;

/// <summary>
/// Admin rights end when the account changes: a password change or a demotion closes every live channel of the
/// account (admin hub, chat hub, TCP) at once, and a cookie from before no longer opens the admin pages.
/// </summary>
public sealed class AdminRevocationTests : ServerTest
{
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task PasswordChangeClosesTheAdminsOpenLogStream()
    {
        using var browser = await CookieBrowser.SignInAsync(App, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
        await using var logStream = await OpenLogStreamAsync(browser.CookieHeader);

        using var changed = await browser.Http.PostAsJsonAsync("/api/account/password",
            new { currentPassword = ChatWebApplication.AdminPassword, newPassword = "a-new-admin-password" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        await logStream.Closed.WaitAsync(AtOnce);
    }

    [Fact]
    public async Task DemotionClosesTheAdminHubTheChatHubAndTcpOfThatUser()
    {
        using var browser = await CookieBrowser.SignInAsync(App, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
        await using var logStream = await OpenLogStreamAsync(browser.CookieHeader);
        await using var chat = await HubTestClient.ConnectAsync(App, accessToken: null, "/hubs/chat", browser.CookieHeader);
        await using var tcp = await TcpTestClient.ConnectAsync(App);
        await tcp.SignInAsync(ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);

        await DemoteAsync(ChatWebApplication.AdminName);

        await logStream.Closed.WaitAsync(AtOnce);
        await chat.Closed.WaitAsync(AtOnce);
        Assert.Contains("! your rights were changed; sign in again", await tcp.ReadToEndAsync(AtOnce));
    }

    [Theory]
    [InlineData(typeof(AdminHub), "/hubs/admin")]
    [InlineData(typeof(ChatHub), "/hubs/chat")]
    public async Task ConnectionAuthorizedJustBeforeADemotionButJoinedAfterItIsClosed(Type hub, string path)
    {
        // The race held open: the connection passed authorization, then waits before the hub takes it in while
        // the demotion and its revocation run. Joining after that revocation must not keep it open.
        var gate = new HoldConnect(hub);
        await using var app = new ChatWebApplication(services: services => services.Configure<HubOptions>(options => options.AddFilter(gate)));
        using var browser = await CookieBrowser.SignInAsync(app, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
        var connecting = Task.Run(() => HubTestClient.ConnectAsync(app, accessToken: null, path, browser.CookieHeader));
        await gate.Arrived.Task.WaitAsync(AtOnce);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
            Assert.True((await users.RemoveFromRoleAsync((await users.FindByNameAsync(ChatWebApplication.AdminName))!, AccountRoles.Admin)).Succeeded);
        }
        gate.Release.SetResult();

        await using var connection = await connecting.WaitAsync(AtOnce);
        await connection.Closed.WaitAsync(AtOnce);
    }

    [Fact]
    public async Task AdminCookieTakenBeforeADemotionOpensNoAdminPathAfterwards()
    {
        string cookie;
        using (var browser = await CookieBrowser.SignInAsync(App, ChatWebApplication.AdminName, ChatWebApplication.AdminPassword))
            cookie = browser.CookieHeader;
        using var kept = CookieBrowser.Replaying(App, cookie);
        using (var before = await kept.GetAsync("/admin")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await DemoteAsync(ChatWebApplication.AdminName);

        await AssertSignedOutAsync(kept);
    }

    [Fact]
    public async Task CookieClaimingARoleTheAccountNoLongerHasIsRefused()
    {
        // A cookie issued under the account's current stamp whose roles the store no longer grants: what an
        // admin cookie would be after a role change that left the stamp alone. The roles are re-checked too.
        await App.RegisterNewAsync("bob");
        var bob = App.Get<AccountFile>().Find("bob")!;
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, bob.UserName),
                new Claim(ClaimTypes.Name, bob.UserName),
                new Claim(AccountClaims.SecurityStamp, bob.SecurityStamp),
                new Claim(ClaimTypes.Role, AccountRoles.Admin),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true },
            CookieAuthenticationDefaults.AuthenticationScheme);
        var format = App.Get<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).TicketDataFormat;
        using var forged = CookieBrowser.Replaying(App, "chatweb.auth=" + format.Protect(ticket));

        await AssertSignedOutAsync(forged);
    }

    private async Task<HubTestClient> OpenLogStreamAsync(string cookie)
    {
        var logStream = await HubTestClient.ConnectAsync(App, accessToken: null, "/hubs/admin", cookie);
        // Streaming for real before the change: a new account's log line arrives.
        await App.RegisterNewAsync("witness");
        await logStream.NextAsync("LogEntry", e => e.Argument.GetProperty("text").GetString()!.Contains("Account witness registered"));
        return logStream;
    }

    private async Task DemoteAsync(string userName)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        var user = await users.FindByNameAsync(userName);
        var removed = await users.RemoveFromRoleAsync(user!, AccountRoles.Admin);
        Assert.True(removed.Succeeded, string.Join(" ", removed.Errors.Select(e => e.Description)));
    }

    /// <summary>The cookie is rejected outright: the admin pages send it to sign in, the admin hub answers 401.</summary>
    private static async Task AssertSignedOutAsync(HttpClient client)
    {
        foreach (var path in new[] { "/admin", "/admin/users" })
        {
            using var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Found, page.StatusCode);
            Assert.Equal("/login", page.Headers.Location!.AbsolutePath);
        }
        using var negotiate = await client.PostAsync("/hubs/admin/negotiate?negotiateVersion=1", content: null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
    }

    /// <summary>Holds the first connection to one hub between authorization and the hub's OnConnectedAsync.</summary>
    private sealed class HoldConnect(Type hub) : IHubFilter
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            if (context.Hub.GetType() == hub && Arrived.TrySetResult()) await Release.Task;
            await next(context);
        }
    }
}
