using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ChatWeb.Server.Accounts;
using ChatWeb.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>
/// The fixed-seed fuzz pass CI runs: junk at the TCP gateway, the chat hub and the HTTP API at once,
/// against the real server process, while two ordinary users chat. A longer pass is the same test with
/// <see cref="FuzzPlan.SeedVariable"/> and <see cref="FuzzPlan.ScaleVariable"/> set (docs/reliability.md).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    // The junk must reach the parsers, not the per-IP limits in front of them, and the pair must not be cut off
    // as a slow reader when this busy test process falls a thousand lines behind the flood the junk makes.
    // Those limits have tests of their own (WebHardeningTests, TcpListenerTests, TcpLoadTests).
    private static readonly string[] Settings =
        ["--Security:SignInAttemptsPerMinutePerIp=0", "--Gateway:MaxConnectionsPerIp=0", "--Gateway:SendQueueLimit=0"];

    [Fact]
    public async Task SeededJunkAtTcpHubAndApiNeverCrashesTheServerNorDisturbsAPairChattingMeanwhile()
    {
        var plan = FuzzPlan.FromEnvironment();
        using var directory = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(directory.Path, Settings);
        try
        {
            await FuzzAsync(server, plan);
        }
        catch (Exception)
        {
            // What the server said about the failure is in its log, which is deleted with the directory.
            output.WriteLine($"replay: {plan.ReplayCommand}");
            var log = ServerLog.Lines(server.LogFile);
            output.WriteLine("log.txt about the pair:");
            foreach (var line in log.Where(l => l.Contains("pairtcp", StringComparison.Ordinal) || l.Contains("pairweb", StringComparison.Ordinal)).Take(60))
                output.WriteLine(line);
            output.WriteLine("log.txt, errors and the last warnings that are not refused sign-ins:");
            foreach (var line in log.Where(l => l.Contains("[ERR]") || (l.Contains("[WRN]") && !l.Contains("Sign-in of", StringComparison.Ordinal))).TakeLast(20))
                output.WriteLine(line);
            output.WriteLine("the pair's lines in the history files:");
            foreach (var line in Directory.GetFiles(Path.Combine(directory.Path, "history")).SelectMany(File.ReadLines).Where(l => l.Contains(",pair", StringComparison.Ordinal)).Take(10))
                output.WriteLine(line);
            throw;
        }
    }

    private async Task FuzzAsync(ServerProcess server, FuzzPlan plan)
    {
        var tokens = await SignUpAsync(server, ["pairtcp", "pairweb", "fuzztcp1", "fuzztcp2", "fuzztcp3", "fuzzweb1", "fuzzweb2", "fuzzweb3", "fuzzapi"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5) * plan.Scale);

        await using var pair = await ChattingPair.StartAsync(server.BaseAddress, server.TcpPort, ("pairtcp", tokens["pairtcp"]), ("pairweb", tokens["pairweb"]));
        using var stopChatting = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var chatting = pair.ChatAsync(stopChatting.Token);

        var clock = Stopwatch.StartNew();
        var tcp = Timed(() => TcpFuzzer.RunAsync(server.TcpPort, plan, [.. new[] { "fuzztcp1", "fuzztcp2", "fuzztcp3" }.Select(n => (n, tokens[n]))], strangers: 3, timeout.Token));
        var hub = Timed(() => HubFuzzer.RunAsync(server.BaseAddress, plan, [tokens["fuzzweb1"], tokens["fuzzweb2"], tokens["fuzzweb3"]], timeout.Token));
        var api = Timed(() => ApiFuzzer.RunAsync(server.BaseAddress, plan, tokens["fuzzapi"], lanes: 3, timeout.Token));
        var fuzzing = Task.WhenAll(tcp, hub, api);

        // A pair that stops hearing each other fails the test at once, with its own reason.
        if (await Task.WhenAny(fuzzing, chatting) == chatting) await chatting;
        await fuzzing;
        var elapsed = clock.Elapsed;
        await stopChatting.CancelAsync();
        await chatting;

        // Still up, still answering at every door.
        Assert.False(server.HasExited, "the server process ended during the fuzz pass:\n" + server.Output[^Math.Min(server.Output.Length, 3000)..]);
        await using (var newcomer = await TcpTestClient.ConnectAsync(server.TcpPort)) await newcomer.ExpectAsync("Enter your name:");
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/login")).StatusCode);

        var problems = ServerLog.Problems(server.LogFile);
        Assert.True(problems.Count == 0, "log.txt has errors:\n" + string.Join('\n', problems));
        Assert.DoesNotContain("Unhandled exception", server.Output, StringComparison.Ordinal);

        // Whatever names the junk tried, every account that exists has a name within the rules.
        var names = File.ReadLines(Path.Combine(server.DataDirectory, "logins.csv")).Skip(1).Select(line => line.Split(',')[0]).ToList();
        Assert.All(names, name => Assert.True(UserNameRules.IsValid(name), $"account name {JsonSerializer.Serialize(name)} breaks the rules"));

        // Whatever junk was stored can be read again: after kill -9 the server starts on its own files
        // (an unreadable one would stop it) and serves the messages exactly as they were delivered.
        var delivered = pair.LastMessagesOnWeb;
        await server.KillAsync();
        await using (var restarted = await ServerProcess.StartAsync(server.DataDirectory, Settings))
        {
            await using var reader = await HubTestClient.ConnectAsync(restarted.BaseAddress, tokens["pairweb"]);
            var stored = await reader.InvokeAsync("History", delivered[0].GetProperty("id").GetInt64() - 1, ChattingPair.KeptMessages);
            var readBack = stored.EnumerateArray().Select(Summary).ToList();
            for (var i = 0; i < delivered.Count; i++)
            {
                var expected = Summary(delivered[i]);
                var actual = i < readBack.Count ? readBack[i] : "(nothing)";
                if (actual == expected) continue;
                var id = delivered[i].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                var records = Directory.GetFiles(Path.Combine(server.DataDirectory, "history"))
                    .SelectMany(File.ReadLines).SkipWhile(l => !l.StartsWith(id + ",", StringComparison.Ordinal)).Take(3);
                Assert.Fail($"after the restart message {i} of {delivered.Count} differs:\n delivered {JsonSerializer.Serialize(expected)}\n read back {JsonSerializer.Serialize(actual)}\n"
                    + $" in the file: {JsonSerializer.Serialize(string.Join("\n", records))}\n restarted server's log:\n{string.Join('\n', ServerLog.Lines(restarted.LogFile).Where(l => !l.Contains("[INF]")).Take(20))}");
            }
            Assert.Empty(ServerLog.Problems(restarted.LogFile));
        }

        var ((tcpReport, tcpTime), (hubReport, hubTime), (apiReport, apiTime)) = (await tcp, await hub, await api);
        // A hub connection closed because of a frame always says why; over the limit, it names the limit.
        Assert.DoesNotContain("Connection closed with an error.", hubReport.CloseReasons.Keys);
        Assert.NotEmpty(hubReport.OversizedClosings);
        Assert.All(hubReport.OversizedClosings, closing => Assert.Contains("at most 32768 bytes", closing.Reason));

        output.WriteLine($"fuzz seed {plan.Seed}, scale {plan.Scale}: {elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"TCP: {tcpReport.Inputs} inputs in {tcpTime.TotalSeconds:0.0} s, {tcpReport.Reconnects} reconnects; " + string.Join(", ", tcpReport.Kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value}")));
        output.WriteLine($"hub: {hubReport.Frames} frames in {hubTime.TotalSeconds:0.0} s, {hubReport.Reconnects} reconnects; {hubReport.Summary()}");
        output.WriteLine($"API: {apiReport.Bodies} requests in {apiTime.TotalSeconds:0.0} s; statuses: " + string.Join(", ", apiReport.Statuses.OrderBy(k => k.Key).Select(k => $"{k.Key} x{k.Value}")));
        output.WriteLine($"pair: {pair.Rounds} rounds in order, slowest {pair.SlowestRound.TotalMilliseconds:0} ms; the web user saw {pair.MessagesSeenOnWeb} messages in one order; accounts: {names.Count}; log: no errors; after kill -9 the restarted server served the last {delivered.Count} messages exactly as delivered");
        output.WriteLine($"replay: {plan.ReplayCommand}");
    }

    private static async Task<(T Report, TimeSpan Took)> Timed<T>(Func<Task<T>> run)
    {
        var clock = Stopwatch.StartNew();
        var report = await run();
        return (report, clock.Elapsed);
    }

    private static string Summary(JsonElement message) =>
        $"{message.GetProperty("id").GetInt64()} {message.GetProperty("user").GetString()}: {message.GetProperty("text").GetString()}";

    private static async Task<Dictionary<string, string>> SignUpAsync(ServerProcess server, IEnumerable<string> names)
    {
        var tokens = new Dictionary<string, string>();
        foreach (var name in names)
        {
            await server.RegisterNewAsync(name);
            tokens[name] = await server.TokenAsync(name);
        }
        return tokens;
    }
}
