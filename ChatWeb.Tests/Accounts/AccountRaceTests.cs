using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatWeb.Server.Accounts;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Tests.Accounts;

/// <summary>
/// Lost updates in the account store (security review, finding 2): a wrong-password attempt that read the account,
/// hashed for 60 ms and wrote its stale copy back undid a password change made meanwhile, and forty guesses at once
/// got twenty-six checks before the lock.
/// </summary>
public sealed class AccountRaceTests() : ServerTest(new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinutePerIp"] = "0" })
{
    [Fact]
    public async Task ACopyReadBeforeAnotherChangeIsNotSavedOverIt()
    {
        var accounts = App.Get<AccountFile>();
        var store = App.Get<IUserStore<ChatUser>>();
        await App.RegisterNewAsync("alice");
        var first = accounts.Find("alice")!;
        var stale = accounts.Find("alice")!;

        first.PasswordHash = "changed";
        Assert.True((await store.UpdateAsync(first, default)).Succeeded);
        stale.AccessFailedCount = 1;
        var lost = await store.UpdateAsync(stale, default);

        Assert.Equal(nameof(IdentityErrorDescriber.ConcurrencyFailure), Assert.Single(lost.Errors).Code);
        Assert.Equal("changed", accounts.Find("alice")!.PasswordHash);
        Assert.Equal(0, accounts.Find("alice")!.AccessFailedCount);
        // The copy that was saved can be saved again: it moved to the version it wrote.
        first.AccessFailedCount = 2;
        Assert.True((await store.UpdateAsync(first, default)).Succeeded);
    }

    [Fact]
    public async Task APasswordChangeDuringAStormOfWrongPasswordsIsNeverUndone()
    {
        var hasher = new PasswordHasher<ChatUser>();
        for (var round = 0; round < 8; round++)
        {
            var name = $"victim{round}";
            var oldToken = await App.SignUpAsync(name, "old-password");

            using var http = App.NewClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", oldToken);
            var guesses = Enumerable.Range(0, 4).Select(i => App.RequestTokenAsync(name, $"wrong-{i}-password")).ToList();
            var change = http.PostAsJsonAsync("/api/account/password", new { currentPassword = "old-password", newPassword = "new-password" });
            await Task.WhenAll([.. guesses, change]);

            Assert.Equal(HttpStatusCode.NoContent, (await change).StatusCode);
            Assert.All(guesses, g => Assert.Equal(HttpStatusCode.Unauthorized, g.Result.StatusCode));
            var account = App.Get<AccountFile>().Find(name)!;
            Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(account, account.PasswordHash!, "new-password"));
            Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(account, account.PasswordHash!, "old-password"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/account/password", new { currentPassword = "x", newPassword = "y-password" })).StatusCode);
            await App.TokenAsync(name, "new-password");
        }
    }

    [Fact]
    public async Task TheOperatorsResetDuringAStormOfWrongPasswordsIsNeverUndone()
    {
        for (var round = 0; round < 5; round++)
        {
            var name = $"reset{round}";
            await App.RegisterNewAsync(name, "old-password");
            var guesses = Enumerable.Range(0, 4).Select(i => App.RequestTokenAsync(name, $"wrong-{i}-password")).ToList();
            var reset = App.AdministerAsync(accounts => accounts.ResetPasswordAsync(name, "test"));
            await Task.WhenAll(guesses);
            var (result, password) = await reset;

            Assert.Equal(ControlResult.Done($"{name} has a new password; their sessions were ended."), result);
            await App.TokenAsync(name, password!);
            Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync(name, "old-password")).StatusCode);
        }
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("nobody-at-all")]
    public async Task FortyWrongGuessesAtOnceGetExactlyFivePasswordChecksAndThenLocked(string name)
    {
        if (name == "alice") await App.RegisterNewAsync(name);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => App.RequestTokenAsync(name, $"guess-{i}-password")));

        var statuses = answers.Select(a => a.StatusCode).ToList();
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(35, statuses.Count(s => s == HttpStatusCode.Locked));
    }
}
