using System.Net;
using System.Net.Http.Json;
using ChatWeb.Server.Accounts;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Security;

/// <summary>
/// What a client that never signs in can make the server keep or write (the second review of the security fixes):
/// refusals logged without limit, a two-million-character name kept in memory and in the log, and a wrong password
/// for a real name that cost a write of logins.csv where an unknown name cost none (a timing signal).
/// </summary>
public sealed class UnauthenticatedCostTests() : ServerTest(new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinutePerIp"] = "0" })
{
    private string LogFile => Path.Combine(App.DataDirectory, "log.txt");

    [Fact]
    public async Task ForeignOriginRefusalsLogAtMostTwentyLinesAMinuteEachOfBoundedLength()
    {
        using var http = new HttpClient { BaseAddress = App.BaseAddress };
        var hugeOrigin = "http://" + new string('a', 30_000) + ".example";
        for (var i = 0; i < 60; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/chat/negotiate?negotiateVersion=1");
            request.Headers.TryAddWithoutValidation("Origin", hugeOrigin);
            Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(request)).StatusCode);
        }
        // A line logged after the flood: once it is in the file, so is everything the flood logged.
        await App.RegisterNewAsync("sentinel");
        await ServerLog.WaitForAsync(LogFile, "Account sentinel registered");

        var refusals = ServerLog.Lines(LogFile).Where(l => l.Contains("from the foreign origin", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, refusals.Count);
        Assert.All(refusals, line => Assert.InRange(line.Length, 1, 1_300));
    }

    [Fact]
    public async Task AnOverlongNameIsNeitherKeptInMemoryNorWrittenWholeToTheLog()
    {
        var hugeName = new string('n', 2_000_000);

        var signIn = await App.RequestTokenAsync(hugeName, "wrong-password");
        var register = await App.RegisterAsync(hugeName, "password-1");

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, register.StatusCode);
        Assert.Equal(0, App.Get<UnknownNames>().Count);
        Assert.Equal(0, App.Get<AccountGate>().Count);
        await App.RegisterNewAsync("sentinel");
        await ServerLog.WaitForAsync(LogFile, "Account sentinel registered");
        Assert.True(new FileInfo(LogFile).Length < 200_000, $"log.txt holds {new FileInfo(LogFile).Length} bytes");
        Assert.Contains(ServerLog.Lines(LogFile), line => line.Contains("(1999000 more characters)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWrongPasswordCostsTheSameWriteOfTheAccountsFileWhetherOrNotTheNameExists()
    {
        var store = App.Get<AccountFile>();
        await App.RegisterNewAsync("alice");
        await store.FlushAsync();

        var before = store.WriteCount;
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("alice", "wrong-password")).StatusCode);
        var forRealName = store.WriteCount - before;
        before = store.WriteCount;
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.RequestTokenAsync("nobody", "wrong-password")).StatusCode);
        var forUnknownName = store.WriteCount - before;

        Assert.Equal(1, forRealName);
        Assert.Equal(forRealName, forUnknownName);
    }
}
