using System.Net;
using ChatWeb.Server.Accounts;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatWeb.Tests.Accounts;

public sealed class CsvUserStoreTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();

    [Fact]
    public async Task ChangesMadeAtTheSameTimeAreAllSavedAndSeenOnceTheyComplete()
    {
        var store = NewStore();
        var created = Enumerable.Range(0, 200).Select(i => store.CreateAsync(User($"user{i}"), CancellationToken.None));

        var results = await Task.WhenAll(created);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(200, store.All().Count);
        Assert.Equal(200, LoginsFile.Read(store.FilePath).Count);
        Assert.NotNull(store.Find("USER199"));
    }

    [Fact]
    public async Task ANameTakenByAChangeStillWaitingToBeWrittenIsRefused()
    {
        var store = NewStore();
        var first = store.CreateAsync(User("alice"), CancellationToken.None);
        var second = store.CreateAsync(User("Alice"), CancellationToken.None);

        Assert.True((await first).Succeeded);
        Assert.False((await second).Succeeded);
        Assert.Single(LoginsFile.Read(store.FilePath));
    }

    [Fact]
    public async Task AFailedWriteFailsTheChangeAndLeavesTheAccountsAsTheFileHasThem()
    {
        var store = NewStore();
        await store.CreateAsync(User("alice"), CancellationToken.None);
        // The atomic write goes through logins.csv.tmp; a folder in its place makes the write fail.
        Directory.CreateDirectory(store.FilePath + ".tmp");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => store.CreateAsync(User("bob"), CancellationToken.None));

        Assert.Null(store.Find("bob"));
        Assert.Equal(["alice"], LoginsFile.Read(store.FilePath).Select(u => u.UserName));

        Directory.Delete(store.FilePath + ".tmp");
        Assert.True((await store.CreateAsync(User("carol"), CancellationToken.None)).Succeeded);
        Assert.Equal(["alice", "carol"], LoginsFile.Read(store.FilePath).Select(u => u.UserName));
    }

    [Fact]
    public async Task TheFileListsAccountsOldestFirstAndEqualTimesByName()
    {
        var store = NewStore();
        var at = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, minutes) in new[] { ("zed", 0), ("carol", 5), ("bob", 0), ("alice", 10) })
        {
            var user = User(name);
            user.CreatedAt = at.AddMinutes(minutes);
            Assert.True((await store.CreateAsync(user, CancellationToken.None)).Succeeded);
        }
        Assert.Equal(["bob", "zed", "carol", "alice"], LoginsFile.Read(store.FilePath).Select(u => u.UserName));
    }

    [Fact]
    public async Task ASignInIsSeenAtOnceAndReachesTheFileWithTheNextWriteOrAfterTheDelay()
    {
        var store = NewStore();
        await store.CreateAsync(User("alice"), CancellationToken.None);
        await store.CreateAsync(User("bob"), CancellationToken.None);
        var alice = store.Find("alice")!;
        var at = DateTimeOffset.UtcNow;

        Assert.True(store.RecordSignIn(alice.NormalizedUserName, alice.SecurityStamp, at, "ip-of-alice"));

        Assert.Equal(at, store.Find("ALICE")!.LastSignInAt);
        Assert.Equal("ip-of-alice", store.All().Single(u => u.UserName == "alice").LastIpProtected);
        Assert.Null(LoginsFile.Read(store.FilePath).Single(u => u.UserName == "alice").LastSignInAt);

        // A change that is written takes the sign-in along.
        await store.CreateAsync(User("carol"), CancellationToken.None);
        Assert.Equal(at, LoginsFile.Read(store.FilePath).Single(u => u.UserName == "alice").LastSignInAt);

        // With no other change, the delayed write saves it.
        var bob = store.Find("bob")!;
        Assert.True(store.RecordSignIn(bob.NormalizedUserName, bob.SecurityStamp, at, null));
        await Wait.UntilAsync(() => LoginsFile.Read(store.FilePath).Single(u => u.UserName == "bob").LastSignInAt == at,
            () => "bob's sign-in was never written", store.SignInWriteDelay * 5);
        Assert.Equal(at, store.Find("bob")!.LastSignInAt);
    }

    [Fact]
    public async Task AStormOfSignInsRewritesTheFileOnlyAFewTimes()
    {
        var store = NewStore();
        var users = Enumerable.Range(0, 500).Select(i => User($"user{i}")).ToList();
        await Task.WhenAll(users.Select(u => store.CreateAsync(u, CancellationToken.None)));
        var writesBefore = store.WriteCount;

        var at = DateTimeOffset.UtcNow;
        foreach (var user in users) Assert.True(store.RecordSignIn(user.NormalizedUserName, user.SecurityStamp, at, null));
        await store.FlushAsync();

        Assert.All(LoginsFile.Read(store.FilePath), u => Assert.Equal(at, u.LastSignInAt));
        // One write, or two when the delayed write had already started when FlushAsync asked for one.
        Assert.InRange(store.WriteCount - writesBefore, 1, 2);
    }

    [Fact]
    public async Task ASignInIsRefusedWhenTheAccountChangedOrWentAwayAndNeverRevivesIt()
    {
        var store = NewStore();
        await store.CreateAsync(User("alice"), CancellationToken.None);
        var read = store.Find("alice")!;
        var changed = store.Find("alice")!;
        changed.SecurityStamp = "new-stamp";
        Assert.True((await store.UpdateAsync(changed, CancellationToken.None)).Succeeded);

        Assert.False(store.RecordSignIn(read.NormalizedUserName, read.SecurityStamp, DateTimeOffset.UtcNow, null));
        Assert.Equal("new-stamp", store.Find("alice")!.SecurityStamp);

        Assert.True((await store.DeleteAsync(changed, CancellationToken.None)).Succeeded);
        Assert.False(store.RecordSignIn(changed.NormalizedUserName, "new-stamp", DateTimeOffset.UtcNow, null));
        await store.FlushAsync();
        Assert.Null(store.Find("alice"));
        Assert.Empty(LoginsFile.Read(store.FilePath));
    }

    [Fact]
    public async Task SignInsThatCouldNotBeWrittenAreDroppedAndTheAccountsStayAsTheFileHasThem()
    {
        var store = NewStore();
        await store.CreateAsync(User("alice"), CancellationToken.None);
        var alice = store.Find("alice")!;
        Directory.CreateDirectory(store.FilePath + ".tmp");

        Assert.True(store.RecordSignIn(alice.NormalizedUserName, alice.SecurityStamp, DateTimeOffset.UtcNow, null));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(store.FlushAsync);

        Assert.Null(store.Find("alice")!.LastSignInAt);
        Directory.Delete(store.FilePath + ".tmp");
        Assert.True((await store.CreateAsync(User("bob"), CancellationToken.None)).Succeeded);
        Assert.Equal(["alice", "bob"], LoginsFile.Read(store.FilePath).Select(u => u.UserName));
    }

    private CsvUserStore NewStore()
    {
        var store = new CsvUserStore(new DataDirectory(_directory), NullLogger<CsvUserStore>.Instance);
        store.Load();
        return store;
    }

    private static ChatUser User(string name) => new()
    {
        UserName = name,
        NormalizedUserName = name.ToUpperInvariant(),
        SecurityStamp = Guid.NewGuid().ToString("N"),
        CreatedAt = DateTimeOffset.UtcNow,
    };

    public void Dispose() => TempDirectory.Delete(_directory);
}
