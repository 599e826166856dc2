using System.Net;
using ChatWeb.Server.Accounts;
using ChatWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ChatWeb.Tests.Accounts;

public sealed class AccountSessionsTests
{
    [Fact]
    public async Task ResumeRecordsTheSignInAndEncryptsAnAddressOnlyWhenItChanges()
    {
        await using var app = new ChatWebApplication();
        await app.RegisterAsync("alice", "password-1");
        var sessions = app.Services.GetRequiredService<AccountSessions>();
        var store = app.Services.GetRequiredService<AccountFile>();
        var token = app.Get<AccessTokens>().Issue(store.Find("alice")!, TokenScope.TcpResume);

        var first = sessions.SignInWithToken(token, IPAddress.Parse("198.51.100.1"), "tcp");
        Assert.Equal(SignInStatus.Success, first.Status);
        var afterFirst = store.Find("alice")!;
        Assert.Equal(first.User!.LastSignInAt, afterFirst.LastSignInAt);
        Assert.NotNull(afterFirst.LastSignInAt);
        Assert.Equal("198.51.100.1", sessions.RevealLastIp(afterFirst));

        // Same address: the stored value is kept as it is, the time moves on.
        var second = sessions.SignInWithToken(token, IPAddress.Parse("198.51.100.1"), "tcp");
        Assert.Equal(SignInStatus.Success, second.Status);
        Assert.True(second.Returning);
        Assert.Equal(afterFirst.LastIpProtected, store.Find("alice")!.LastIpProtected);

        // Another address is encrypted anew.
        sessions.SignInWithToken(token, IPAddress.Parse("203.0.113.9"), "tcp");
        var afterThird = store.Find("alice")!;
        Assert.NotEqual(afterFirst.LastIpProtected, afterThird.LastIpProtected);
        Assert.Equal("203.0.113.9", sessions.RevealLastIp(afterThird));
        // On disk with the next write, which comes by itself within a second.
        await Wait.UntilAsync(() => LoginsFile.Read(store.FilePath).Single(u => u.UserName == "alice").LastIpProtected == afterThird.LastIpProtected,
            () => "the last sign-in never reached " + store.FilePath);
    }

    [Fact]
    public async Task ACleanStopWritesTheSignInsStillWaitingForTheFile()
    {
        var app = new ChatWebApplication();
        await app.RegisterAsync("alice", "password-1");
        var store = app.Get<AccountFile>();
        store.SignInWriteDelay = TimeSpan.FromHours(1);
        var sessions = app.Get<AccountSessions>();

        var signedIn = sessions.SignInWithToken(app.Get<AccessTokens>().Issue(store.Find("alice")!, TokenScope.TcpResume), IPAddress.Loopback, "tcp");
        Assert.Equal(SignInStatus.Success, signedIn.Status);
        Assert.Null(LoginsFile.Read(store.FilePath).Single(u => u.UserName == "alice").LastSignInAt);

        await using var restarted = await app.RestartAsync();
        var recorded = restarted.Get<AccountFile>().Find("alice")!;
        Assert.Equal(signedIn.User!.LastSignInAt, recorded.LastSignInAt);
        Assert.Equal(signedIn.User.LastIpProtected, recorded.LastIpProtected);
    }

    [Fact]
    public async Task RecordingASignInNeverBringsBackAnOldSecurityStamp()
    {
        await using var app = new ChatWebApplication();
        await app.RegisterAsync("alice", "password-1");
        var sessions = app.Services.GetRequiredService<AccountSessions>();
        var store = app.Services.GetRequiredService<AccountFile>();
        var stale = sessions.ValidateToken(app.Get<AccessTokens>().Issue(store.Find("alice")!, TokenScope.Api), TokenScope.Api)!;

        // The password changes between reading the account and recording the sign-in.
        using (var scope = app.Services.CreateScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<AccountService>().ChangePasswordAsync("alice", "password-1", "password-2");
            Assert.True(result.Succeeded);
        }
        var stamp = store.Find("alice")!.SecurityStamp;
        Assert.NotEqual(stale.SecurityStamp, stamp);

        var outcome = sessions.RecordSignIn(stale, IPAddress.Loopback, "tcp");
        Assert.Equal(SignInStatus.Failed, outcome.Status);
        Assert.Equal(stamp, store.Find("alice")!.SecurityStamp);
        Assert.Null(store.Find("alice")!.LastSignInAt);
    }
}
