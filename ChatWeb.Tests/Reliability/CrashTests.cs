using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Reliability;

/// <summary>kill -9 of a real server process, then a restart on the same files: what was acknowledged is there.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task EveryMessageWhoseSendReturnedSurvivesKillMinus9InOrderAndNoIdIsReused()
    {
        using var directory = new TempDirectory();
        var acknowledged = new ConcurrentBag<(long Id, string Text)>();
        await using (var server = await ServerProcess.StartAsync(directory.Path))
        {
            var tokens = new List<string>();
            foreach (var name in new[] { "alice", "bob", "carol" })
            {
                await server.RegisterNewAsync(name);
                tokens.Add(await server.TokenAsync(name));
            }
            var clients = new List<HubTestClient>();
            foreach (var token in tokens) clients.Add(await HubTestClient.ConnectAsync(server, token));

            using var stop = new CancellationTokenSource();
            var senders = clients.Select((client, n) => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var sent = await client.InvokeAsync("Send", $"client {n} line {i}");
                        acknowledged.Add((sent.GetProperty("id").GetInt64(), sent.GetProperty("text").GetString()!));
                    }
                    catch (Exception e) when (e is HubInvocationException { Message: "connection closed" } or WebSocketException)
                    {
                        return; // the server died under us: this Send never returned, so nothing is promised
                    }
                }
            })).ToList();

            // Let them send for a while, then crash the server mid-stream.
            await Wait.UntilAsync(() => acknowledged.Count >= 300,
                () => $"300 acknowledged sends, have {acknowledged.Count}; {Failures(senders)}", TimeSpan.FromSeconds(30));
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
            foreach (var client in clients) await client.DisposeAsync();
        }

        await using var restarted = await ServerProcess.StartAsync(directory.Path);
        Assert.Contains("History loaded", restarted.Output);

        var stored = await HistoryAfter(restarted, await restarted.TokenAsync("alice"));
        var storedIds = stored.Select(m => m.Id).ToList();
        Assert.Equal(storedIds.Order(), storedIds);
        Assert.Equal(storedIds.Distinct().Count(), storedIds.Count);
        foreach (var (id, text) in acknowledged)
            Assert.Contains(stored, m => m.Id == id && m.Text == text);

        // New ids continue after every id any client ever saw.
        await using var hub = await HubTestClient.ConnectAsync(restarted, await restarted.TokenAsync("bob"));
        var next = (await hub.InvokeAsync("Send", "after the crash")).GetProperty("id").GetInt64();
        Assert.True(next > acknowledged.Max(a => a.Id));
    }

    [Fact]
    public async Task EveryAccountAnswered201SurvivesKillMinus9DuringARegistrationBurst()
    {
        using var directory = new TempDirectory();
        var created = new ConcurrentBag<string>();
        await using (var server = await ServerProcess.StartAsync(directory.Path))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            using var stop = new CancellationTokenSource();
            var burst = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var name = $"user{worker}x{i}";
                    try
                    {
                        var response = await http.PostAsJsonAsync("/api/account/register", new { userName = name, password = "password-1" });
                        if (response.StatusCode == HttpStatusCode.Created) created.Add(name);
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            })).ToList();

            await Wait.UntilAsync(() => created.Count >= 20,
                () => $"20 accounts answered 201, have {created.Count}; {Failures(burst)}", TimeSpan.FromSeconds(30));
            await server.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(burst);
        }

        // logins.csv loads (the server starts), and every answered registration is in it.
        await using var restarted = await ServerProcess.StartAsync(directory.Path);
        var logins = await File.ReadAllTextAsync(Path.Combine(directory.Path, "logins.csv"));
        foreach (var name in created) Assert.Contains($"\n{name},", logins);
        Assert.NotEmpty(await restarted.TokenAsync(created.First()));
    }

    private static string Failures(IEnumerable<Task> workers) =>
        string.Join("; ", workers.Where(w => w.IsFaulted).Select(w => w.Exception!.InnerException!.Message).DefaultIfEmpty("no client failed"));

    private static async Task<List<(long Id, string Text)>> HistoryAfter(ServerProcess server, string token)
    {
        await using var hub = await HubTestClient.ConnectAsync(server, token);
        var all = new List<(long, string)>();
        long after = 0;
        while (true)
        {
            var page = (await hub.InvokeAsync("History", after, 500)).EnumerateArray()
                .Select(m => (m.GetProperty("id").GetInt64(), m.GetProperty("text").GetString()!)).ToList();
            all.AddRange(page);
            if (page.Count < 500) return all;
            after = page[^1].Item1;
        }
    }
}
