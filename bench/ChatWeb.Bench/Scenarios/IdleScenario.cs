using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Results;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Scenarios;

/// <summary>
/// <c>idle</c>: N signed-in connections that say nothing; the server's resident memory before and after,
/// per connection. A few connections come and go first, so that code run once per server (JIT, first-use
/// caches) is not charged to the connections.
/// </summary>
internal sealed class IdleScenario(ServerUnderTest server, ServerProcess process, string target, string transport, ResultLog log)
{
    private const int WarmUpConnections = 50;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(60);
    // Idle means idle for a while: time for the server to finish what the joins started (presence notices, buffers
    // handed back, ChatWeb's trim of the garbage once it is quiet) before RSS is read. The same for every server.
    private static readonly TimeSpan Rest = TimeSpan.FromSeconds(10);

    public async Task RunAsync(int connections, CancellationToken cancellationToken)
    {
        await using (var warmUp = new ClientGroup(server, transport, SignInPath.Resume))
        {
            await warmUp.JoinAsync(Math.Min(WarmUpConnections, connections), cancellationToken);
        }
        await Task.Delay(Rest, cancellationToken);
        var before = process.Sample();

        await using var group = new ClientGroup(server, transport, SignInPath.Resume);
        ResultLog.Progress($"{target}/{transport}: opening {connections} idle connections");
        var started = LatencyClock.Now();
        var errors = await group.JoinAsync(connections, cancellationToken);
        var connectSeconds = LatencyClock.Microseconds(LatencyClock.Now() - started) / 1e6;
        await group.SettleAsync(Quiet, SettleLimit, cancellationToken);
        await Task.Delay(Rest, cancellationToken);
        var after = process.Sample();

        var connected = group.Joined.Count(c => c.IsConnected);
        var perConnection = connected == 0 ? 0 : (after.RssKiB - before.RssKiB) / (double)connected;
        log.Write(new IdleResult(target, transport, connections, connected, connections - connected, Math.Round(connectSeconds, 2),
            before.RssKiB, after.RssKiB, Math.Round(perConnection, 2), errors.FirstOrDefault()));
    }
}
