using ChatWeb.Server.Accounts;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatWeb.Tests.Accounts;

/// <summary>Identity's store over <see cref="AccountFile"/>: each refusal as the error Identity expects, a failed write as the exception.</summary>
public sealed class ChatUserStoreTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();
    private readonly AccountFile _file;
    private readonly ChatUserStore _store;
    private readonly EndedSessions _ended = new();

    /// <summary>A channel that only records which sessions the store asked to end.</summary>
    private sealed class EndedSessions : ISessionChannel
    {
        public List<(string User, string Reason)> Calls { get; } = [];

        public Task<int> EndSessionsAsync(string userName, string reason)
        {
            Calls.Add((userName, reason));
            return Task.FromResult(0);
        }
    }

    public ChatUserStoreTests()
    {
        _file = new AccountFile(new DataDirectory(_directory), NullLogger<AccountFile>.Instance);
        _file.Load();
        var generated = new GeneratedAdminPassword(new DataDirectory(_directory), _file, Options.Create(new AdminOptions()), NullLogger<GeneratedAdminPassword>.Instance);
        _store = new ChatUserStore(_file, new AccountEvents([_ended], generated, NullLogger<AccountEvents>.Instance));
    }

    [Fact]
    public async Task ATakenNameIsADuplicateAndALookAlikeNamesTheAccountItResembles()
    {
        Assert.True((await _store.CreateAsync(AccountFileTests.User("alice"), default)).Succeeded);

        Assert.Equal(nameof(IdentityErrorDescriber.DuplicateUserName), Code(await _store.CreateAsync(AccountFileTests.User("ALICE"), default)));
        var lookAlike = await _store.CreateAsync(AccountFileTests.User("аlice"), default);
        Assert.Equal(LookAlikes.ErrorCode, Code(lookAlike));
        Assert.Contains("alice", lookAlike.Errors.Single().Description);
    }

    [Fact]
    public async Task AnOvertakenCopyIsAConcurrencyFailureAndAGoneAccountSaysSo()
    {
        await _store.CreateAsync(AccountFileTests.User("alice"), default);
        var first = (await _store.FindByNameAsync("ALICE", default))!;
        var stale = (await _store.FindByNameAsync("alice", default))!;
        Assert.True((await _store.UpdateAsync(first, default)).Succeeded);

        Assert.Equal(nameof(IdentityErrorDescriber.ConcurrencyFailure), Code(await _store.UpdateAsync(stale, default)));
        Assert.True((await _store.DeleteAsync(first, default)).Succeeded);
        Assert.Equal("UserGone", Code(await _store.DeleteAsync(first, default)));
        Assert.Equal("UserGone", Code(await _store.UpdateAsync(first, default)));
    }

    [Fact]
    public async Task AFailedWriteReachesIdentityAsTheWritesException()
    {
        Directory.CreateDirectory(_file.FilePath + ".tmp");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _store.CreateAsync(AccountFileTests.User("alice"), default));

        Assert.Null(await _store.FindByNameAsync("alice", default));
    }

    [Fact]
    public async Task RolesAreReadFromTheAccountsInAnyLetterCase()
    {
        var admin = AccountFileTests.User("root");
        await _store.AddToRoleAsync(admin, "ADMIN", default);
        await _store.CreateAsync(admin, default);
        await _store.CreateAsync(AccountFileTests.User("bob"), default);

        Assert.Equal(["Admin"], admin.Roles);
        Assert.Equal(["root"], (await _store.GetUsersInRoleAsync("admin", default)).Select(u => u.UserName));
    }

    [Fact]
    public async Task AChangeOfRolesRenewsTheStampInTheSameSaveAndEndsTheSessionsOnceSaved()
    {
        await _store.CreateAsync(AccountFileTests.User("bob"), default);
        var bob = (await _store.FindByNameAsync("bob", default))!;
        var stamp = bob.SecurityStamp;

        await _store.AddToRoleAsync(bob, "Admin", default);
        Assert.NotEqual(stamp, bob.SecurityStamp);
        // Nothing ends before the change is saved.
        Assert.Empty(_ended.Calls);
        Assert.True((await _store.UpdateAsync(bob, default)).Succeeded);
        var saved = (await _store.FindByNameAsync("bob", default))!;
        Assert.Equal(["Admin"], saved.Roles);
        Assert.Equal(bob.SecurityStamp, saved.SecurityStamp);
        Assert.Equal([("bob", ChatUserStore.RightsChanged)], _ended.Calls);

        // The same role again is no change at all.
        await _store.AddToRoleAsync(saved, "admin", default);
        Assert.Equal(bob.SecurityStamp, saved.SecurityStamp);
        Assert.True((await _store.UpdateAsync(saved, default)).Succeeded);
        Assert.Single(_ended.Calls);

        await _store.RemoveFromRoleAsync(saved, "ADMIN", default);
        Assert.NotEqual(bob.SecurityStamp, saved.SecurityStamp);
        Assert.True((await _store.UpdateAsync(saved, default)).Succeeded);
        Assert.Equal(2, _ended.Calls.Count);
    }

    private static string Code(IdentityResult result) => Assert.Single(result.Errors).Code;

    public void Dispose() => TempDirectory.Delete(_directory);
}
