using ChatWeb.Server.Accounts;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatWeb.Tests.Accounts;

/// <summary>The accounts in memory and in logins.csv, on real files in a temp directory.</summary>
public sealed class AccountFileTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();

    [Fact]
    public async Task ChangesMadeAtTheSameTimeAreAllSavedAndSeenOnceTheyComplete()
    {
        var file = NewFile();
        var added = Enumerable.Range(0, 200).Select(i => file.AddAsync(User($"user{i}")));

        var results = await Task.WhenAll(added);

        Assert.All(results, r => Assert.Equal(AccountChange.Saved, r));
        Assert.Equal(200, file.All().Count);
        Assert.Equal(200, LoginsFile.Read(file.FilePath).Count);
        Assert.NotNull(file.Find("USER199"));
    }

    [Fact]
    public async Task ChangesThatArriveWhileTheFileIsBeingWrittenAreSavedTogetherByOneWrite()
    {
        var file = NewFile();
        var users = Enumerable.Range(0, 50).Select(i => User($"user{i}")).ToList();
        foreach (var user in users) await file.AddAsync(user);
        var writesBefore = file.WriteCount;
        using var held = HoldNextWrite(file);

        var first = file.AddAsync(User("first"));
        await held.Entered;
        var read = users.Select(u => file.Find(u.UserName)!).ToList();
        var changes = read.Select(user =>
        {
            user.AccessFailedCount = 3;
            return file.ReplaceAsync(user);
        }).ToList();
        // Nothing completes before the disk has it: the write under way holds the first, the next one the rest.
        Assert.All(changes, c => Assert.False(c.IsCompleted));
        Assert.All(file.All().Where(u => u.UserName != "first"), u => Assert.Equal(0, u.AccessFailedCount));
        held.Release();

        Assert.Equal(AccountChange.Saved, await first);
        Assert.All(await Task.WhenAll(changes), r => Assert.Equal(AccountChange.Saved, r));
        Assert.Equal(2, file.WriteCount - writesBefore);
        Assert.All(LoginsFile.Read(file.FilePath).Where(u => u.UserName != "first"), u => Assert.Equal(3, u.AccessFailedCount));
    }

    [Fact]
    public async Task AFailedWriteFailsEveryChangeWaitingForItAndTheAccountsStayAsTheFileHasThem()
    {
        var file = NewFile();
        await file.AddAsync(User("alice"));
        using var held = HoldNextWrite(file);

        var underWay = file.AddAsync(User("bob"));
        await held.Entered;
        var alice = file.Find("alice")!;
        alice.AccessFailedCount = 4;
        var waiting = new[] { file.AddAsync(User("carol")), file.ReplaceAsync(alice) };
        // The atomic write goes through logins.csv.tmp; a folder in its place makes the write fail.
        Directory.CreateDirectory(file.FilePath + ".tmp");
        held.Release();

        var failure = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => underWay);
        foreach (var change in waiting) Assert.Same(failure, await Assert.ThrowsAsync<UnauthorizedAccessException>(() => change));
        Assert.Equal(["alice"], file.All().Select(u => u.UserName));
        Assert.Equal(0, file.Find("alice")!.AccessFailedCount);
        Assert.Equal(["alice"], LoginsFile.Read(file.FilePath).Select(u => u.UserName));

        Directory.Delete(file.FilePath + ".tmp");
        Assert.Equal(AccountChange.Saved, await file.AddAsync(User("dave")));
        Assert.Equal(["alice", "dave"], LoginsFile.Read(file.FilePath).Select(u => u.UserName));
    }

    [Fact]
    public async Task ACopyThatAnotherSavedChangeOvertookIsRefusedAndChangesNothing()
    {
        var file = NewFile();
        await file.AddAsync(User("alice"));
        var first = file.Find("alice")!;
        var stale = file.Find("alice")!;

        first.PasswordHash = "first";
        Assert.Equal(AccountChange.Saved, await file.ReplaceAsync(first));
        // The saved copy moved to the new version: it can be saved again without reading it anew.
        first.AccessFailedCount = 1;
        Assert.Equal(AccountChange.Saved, await file.ReplaceAsync(first));
        var writes = file.WriteCount;
        stale.PasswordHash = "stale";

        Assert.Equal(new AccountChange(AccountChangeStatus.Overtaken), await file.ReplaceAsync(stale));
        Assert.Equal(writes, file.WriteCount);
        Assert.Equal(("first", 1), (file.Find("alice")!.PasswordHash, file.Find("alice")!.AccessFailedCount));
        Assert.Equal("first", LoginsFile.Read(file.FilePath).Single().PasswordHash);

        Assert.Equal(AccountChange.Saved, await file.RemoveAsync(first.NormalizedUserName));
        Assert.Equal(new AccountChange(AccountChangeStatus.Gone), await file.ReplaceAsync(first));
        Assert.Equal(new AccountChange(AccountChangeStatus.Gone), await file.RemoveAsync(first.NormalizedUserName));
    }

    [Fact]
    public async Task ANameTakenByAChangeStillWaitingToBeWrittenIsRefusedAndSoIsALookAlike()
    {
        var file = NewFile();
        var first = file.AddAsync(User("alice"));
        var second = file.AddAsync(User("Alice"));

        Assert.Equal(AccountChange.Saved, await first);
        Assert.Equal(new AccountChange(AccountChangeStatus.NameTaken), await second);
        Assert.Equal(new AccountChange(AccountChangeStatus.LookAlike, "alice"), await file.AddAsync(User("аlice")));
        Assert.Equal(["alice"], LoginsFile.Read(file.FilePath).Select(u => u.UserName));
    }

    [Fact]
    public async Task RemovingWhereAPredicateHoldsIsOneChangeAndNamesWhatWent()
    {
        var file = NewFile();
        foreach (var name in new[] { "alice", "bob", "carol" }) await file.AddAsync(User(name));
        var writes = file.WriteCount;

        var removed = await file.RemoveWhereAsync(u => u.UserName != "bob");

        Assert.Equal(["alice", "carol"], removed.Order());
        Assert.Equal(1, file.WriteCount - writes);
        Assert.Equal(["bob"], LoginsFile.Read(file.FilePath).Select(u => u.UserName));
    }

    [Fact]
    public async Task TheFileListsAccountsOldestFirstAndEqualTimesByName()
    {
        var file = NewFile();
        var at = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, minutes) in new[] { ("zed", 0), ("carol", 5), ("bob", 0), ("alice", 10) })
        {
            var user = User(name);
            user.CreatedAt = at.AddMinutes(minutes);
            Assert.Equal(AccountChange.Saved, await file.AddAsync(user));
        }
        Assert.Equal(["bob", "zed", "carol", "alice"], LoginsFile.Read(file.FilePath).Select(u => u.UserName));
    }

    [Fact]
    public async Task ASignInIsSeenAtOnceAndReachesTheFileWithTheNextWriteOrAfterTheDelay()
    {
        var file = NewFile();
        await file.AddAsync(User("alice"));
        await file.AddAsync(User("bob"));
        var alice = file.Find("alice")!;
        var at = DateTimeOffset.UtcNow;

        Assert.True(file.RecordSignIn(alice.NormalizedUserName, alice.SecurityStamp, at, "ip-of-alice"));

        Assert.Equal(at, file.Find("ALICE")!.LastSignInAt);
        Assert.Equal("ip-of-alice", file.All().Single(u => u.UserName == "alice").LastIpProtected);
        Assert.Null(LoginsFile.Read(file.FilePath).Single(u => u.UserName == "alice").LastSignInAt);

        // A change that is written takes the sign-in along.
        await file.AddAsync(User("carol"));
        Assert.Equal(at, LoginsFile.Read(file.FilePath).Single(u => u.UserName == "alice").LastSignInAt);

        // With no other change, the delayed write saves it.
        var bob = file.Find("bob")!;
        Assert.True(file.RecordSignIn(bob.NormalizedUserName, bob.SecurityStamp, at, null));
        await Wait.UntilAsync(() => LoginsFile.Read(file.FilePath).Single(u => u.UserName == "bob").LastSignInAt == at,
            () => "bob's sign-in was never written", file.SignInWriteDelay * 5);
        Assert.Equal(at, file.Find("bob")!.LastSignInAt);
    }

    [Fact]
    public async Task AStormOfSignInsWithinTheDelayRewritesTheFileOnce()
    {
        var file = NewFile();
        file.SignInWriteDelay = TimeSpan.FromHours(1);
        var users = Enumerable.Range(0, 500).Select(i => User($"user{i}")).ToList();
        await Task.WhenAll(users.Select(file.AddAsync));
        var writesBefore = file.WriteCount;

        var at = DateTimeOffset.UtcNow;
        foreach (var user in users) Assert.True(file.RecordSignIn(user.NormalizedUserName, user.SecurityStamp, at, null));
        Assert.Equal(writesBefore, file.WriteCount);
        await file.FlushAsync();

        Assert.All(LoginsFile.Read(file.FilePath), u => Assert.Equal(at, u.LastSignInAt));
        Assert.Equal(1, file.WriteCount - writesBefore);
    }

    [Fact]
    public async Task ASignInIsRefusedWhenTheAccountChangedOrWentAwayAndNeverRevivesIt()
    {
        var file = NewFile();
        await file.AddAsync(User("alice"));
        var read = file.Find("alice")!;
        var changed = file.Find("alice")!;
        changed.SecurityStamp = "new-stamp";
        Assert.Equal(AccountChange.Saved, await file.ReplaceAsync(changed));

        Assert.False(file.RecordSignIn(read.NormalizedUserName, read.SecurityStamp, DateTimeOffset.UtcNow, null));
        Assert.Equal("new-stamp", file.Find("alice")!.SecurityStamp);

        Assert.Equal(AccountChange.Saved, await file.RemoveAsync(changed.NormalizedUserName));
        Assert.False(file.RecordSignIn(changed.NormalizedUserName, "new-stamp", DateTimeOffset.UtcNow, null));
        await file.FlushAsync();
        Assert.Null(file.Find("alice"));
        Assert.Empty(LoginsFile.Read(file.FilePath));
    }

    [Fact]
    public async Task SignInsThatCouldNotBeWrittenAreDroppedAndTheAccountsStayAsTheFileHasThem()
    {
        var file = NewFile();
        await file.AddAsync(User("alice"));
        var alice = file.Find("alice")!;
        Directory.CreateDirectory(file.FilePath + ".tmp");

        Assert.True(file.RecordSignIn(alice.NormalizedUserName, alice.SecurityStamp, DateTimeOffset.UtcNow, null));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(file.FlushAsync);

        Assert.Null(file.Find("alice")!.LastSignInAt);
        Directory.Delete(file.FilePath + ".tmp");
        Assert.Equal(AccountChange.Saved, await file.AddAsync(User("bob")));
        Assert.Equal(["alice", "bob"], LoginsFile.Read(file.FilePath).Select(u => u.UserName));
    }

    private AccountFile NewFile()
    {
        var file = new AccountFile(new DataDirectory(_directory), NullLogger<AccountFile>.Instance);
        file.Load();
        return file;
    }

    internal static ChatUser User(string name) => new()
    {
        UserName = name,
        NormalizedUserName = UserNameKey.Of(name),
        SecurityStamp = Guid.NewGuid().ToString("N"),
        CreatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Holds the next write of the file on the writer, before it touches the disk, until released.</summary>
    private static HeldWrite HoldNextWrite(AccountFile file) => new(file);

    private sealed class HeldWrite : IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldWrite(AccountFile file) => file.BeforeWrite = () =>
        {
            // Only the first write is held: the ones after it go straight to the disk.
            file.BeforeWrite = null;
            _entered.TrySetResult();
            _release.Wait(TimeSpan.FromSeconds(30));
        };

        public Task Entered => _entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public void Release() => _release.Set();

        public void Dispose()
        {
            _release.Set();
            _release.Dispose();
        }
    }

    public void Dispose() => TempDirectory.Delete(_directory);
}
