using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Results;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Scenarios;

/// <summary>
/// <c>connect</c>: N clients connect and sign in at the same moment (a server restart, a network blip);
/// the wall time until the last one is in the room, each client's own time, failures, and the server CPU
/// per sign-in (on the password path that is PBKDF2's cost).
/// </summary>
internal sealed class ConnectScenario(ServerUnderTest server, ServerProcess process, string target, string transport, ResultLog log)
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(120);

    public async Task RunAsync(int count, SignInPath path, CancellationToken cancellationToken)
    {
        var clients = Enumerable.Range(0, count).Select(i => server.CreateClient(transport, i, path)).ToArray();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ClientTimeout);
        ResultLog.Progress($"{target}/{transport}: {count} clients signing in at once ({PathName(path)})");

        var before = process.Sample();
        var generator = GeneratorMeter.Start();
        var started = LatencyClock.Now();
        var outcomes = await Task.WhenAll(clients.Select(client => JoinAsync(client, timeout.Token)));
        var wallSeconds = LatencyClock.Microseconds(LatencyClock.Now() - started) / 1e6;
        var load = generator.Stop();
        var after = process.Sample();

        var perClient = new LatencyHistogram();
        foreach (var outcome in outcomes.Where(o => o.Error is null)) perClient.Record(outcome.Microseconds);
        var succeeded = (int)perClient.Count;
        var cpu = after.CpuSeconds - before.CpuSeconds;
        log.Write(new ConnectResult(target, transport, PathName(path), count, succeeded, count - succeeded, Math.Round(wallSeconds, 3),
            LatencySummary.From(perClient), Math.Round(cpu, 2), succeeded == 0 ? 0 : Math.Round(cpu * 1000 / succeeded, 2),
            outcomes.Select(o => o.Error).FirstOrDefault(e => e is not null), load.CpuPercentPerCore, load.BusiestCorePercent));

        foreach (var client in clients) await client.DisposeAsync();
    }

    /// <summary>IRC and the bare hub have no passwords: their "sign-in" is registration with the server, named for what it is.</summary>
    private string PathName(SignInPath path) => transport switch
    {
        "irc" => "nick",
        "barehub" => "none",
        _ => path == SignInPath.Resume ? "resume" : "password",
    };

    private static async Task<(long Microseconds, string? Error)> JoinAsync(BenchClient client, CancellationToken cancellationToken)
    {
        var started = LatencyClock.Now();
        try
        {
            await client.JoinAsync(cancellationToken);
            return (LatencyClock.Microseconds(LatencyClock.Now() - started), null);
        }
        catch (Exception ex)
        {
            return (0, ex.Message);
        }
    }
}
