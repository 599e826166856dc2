using ChatWeb.Server.Accounts;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;

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

        await Assert.ThrowsAnyAsync<Exception>(() => store.CreateAsync(User("bob"), CancellationToken.None));

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

    private CsvUserStore NewStore()
    {
        var store = new CsvUserStore(new DataDirectory(_directory));
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
