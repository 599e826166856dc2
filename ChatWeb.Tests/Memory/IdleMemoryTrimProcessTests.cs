using System.Text.RegularExpressions;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Memory;

/// <summary>A real server process (its CPU and memory its own, unlike the test runner's): quiet after a burst, it hands memory back.</summary>
public sealed partial class IdleMemoryTrimProcessTests
{
    [Fact]
    public async Task AQuietServerHandsBackTheGarbageOfEachBurstOnce()
    {
        using var directory = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(directory.Path,
            "--Memory:TrimAfterQuietSeconds=1", "--Memory:TrimAfterAllocatedMiB=1");

        // Start-up is the first burst.
        await Wait.UntilAsync(() => Trims(server).Count == 1, () => "no trim after start-up:\n" + Log(server), TimeSpan.FromSeconds(20));
        // Quiet with nothing new allocated: no second trim, however long it stays quiet. Three seconds of quiet (three quiet times)
        // are the input here; what happened in them is read up to a sentinel below, not guessed after a sleep.
        await Task.Delay(TimeSpan.FromSeconds(3));

        // A second burst: people sign in and talk, then everyone goes quiet.
        const string name = "talker";
        await server.RegisterNewAsync(name);
        // The registration's log line is the sentinel: exactly one trim comes before it.
        await ServerLog.WaitForAsync(server.LogFile, $"Account {name} registered");
        Assert.Single(TrimsBefore(server, $"Account {name} registered"));
        var token = await server.TokenAsync(name);
        var clients = new List<TcpTestClient>();
        for (var i = 0; i < 10; i++)
        {
            var client = await TcpTestClient.ConnectAsync(server.TcpPort);
            await client.ResumeAsync(name, token);
            clients.Add(client);
        }
        // Enough to allocate several times the live heap (about 2 MiB), the least a trim waits for: 200 lines were
        // too close to it, and a few more objects kept alive by the server left the test waiting for a trim that was right not to come.
        for (var i = 0; i < 1000; i++) await clients[i % clients.Count].SendAsync($"line {i} " + new string('x', 500));
        await clients[0].ReadUntilAsync(line => line.Contains("line 999 ", StringComparison.Ordinal));
        foreach (var client in clients) await client.DisposeAsync();

        await Wait.UntilAsync(() => Trims(server).Count == 2, () => "no trim after the second burst:\n" + Log(server), TimeSpan.FromSeconds(20));
        var trim = Trims(server)[1];
        Assert.True(long.Parse(trim.Groups["after"].Value) <= long.Parse(trim.Groups["before"].Value), trim.Value);
    }

    private static List<Match> Trims(ServerProcess server) =>
        ServerLog.Lines(server.LogFile).Select(line => Trimmed().Match(line)).Where(m => m.Success).ToList();

    private static List<Match> TrimsBefore(ServerProcess server, string sentinel) =>
        ServerLog.Lines(server.LogFile).TakeWhile(line => !line.Contains(sentinel, StringComparison.Ordinal))
            .Select(line => Trimmed().Match(line)).Where(m => m.Success).ToList();

    private static string Log(ServerProcess server) => string.Join('\n', ServerLog.Lines(server.LogFile).TakeLast(20));

    [GeneratedRegex(@"memory handed back, resident (?<before>\d+) -> (?<after>\d+) MiB")]
    private static partial Regex Trimmed();
}
