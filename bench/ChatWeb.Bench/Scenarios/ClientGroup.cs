using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Scenarios;

/// <summary>The clients of one run, all signed in and in the room.</summary>
internal sealed class ClientGroup(ServerUnderTest server, string transport, SignInPath path) : IAsyncDisposable
{
    // Connections opened at once while filling the room: enough to be quick, few enough not to be a connect storm.
    private const int JoinParallelism = 64;
    // 5,000 joins into one IRC channel are quadratic work for the server (every join is announced to every member).
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(300);

    private BenchClient?[] _clients = [];

    /// <summary>One slot per client number; empty where a client could not join.</summary>
    public IReadOnlyList<BenchClient?> Slots => _clients;

    /// <summary>The clients that joined (every one, when <see cref="JoinAsync"/> reported no error).</summary>
    public IEnumerable<BenchClient> Joined => _clients.OfType<BenchClient>();

    /// <summary>Fills the room with <paramref name="count"/> clients; returns the errors of those that could not join (their slots stay empty).</summary>
    public async Task<List<string>> JoinAsync(int count, CancellationToken cancellationToken)
    {
        _clients = new BenchClient?[count];
        return await JoinSlotsAsync(Enumerable.Range(0, count), cancellationToken);
    }

    /// <summary>Replaces every client the server has disconnected (a saturated run may cut slow readers off).</summary>
    public async Task<int> RejoinLostAsync(CancellationToken cancellationToken)
    {
        var lost = Enumerable.Range(0, _clients.Length).Where(i => _clients[i] is not { IsConnected: true }).ToList();
        foreach (var i in lost)
        {
            if (_clients[i] is { } client) await client.DisposeAsync();
        }
        var errors = await JoinSlotsAsync(lost, cancellationToken);
        if (errors.Count > 0) throw new BenchClientException($"{errors.Count} clients could not rejoin: {errors[0]}");
        return lost.Count;
    }

    /// <summary>Waits until no client has received anything for <paramref name="quiet"/> (join notices, the tail of a run).</summary>
    public async Task SettleAsync(TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
    {
        var until = LatencyClock.Now() + LatencyClock.TicksFromSeconds(limit.TotalSeconds);
        var quietTicks = LatencyClock.TicksFromSeconds(quiet.TotalSeconds);
        while (LatencyClock.Now() < until)
        {
            long last = 0;
            foreach (var client in Joined) last = Math.Max(last, client.LastFrameTimestamp);
            if (LatencyClock.Now() - last >= quietTicks) return;
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task<List<string>> JoinSlotsAsync(IEnumerable<int> slots, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(JoinTimeout);
        try
        {
            await JoinEachAsync(slots, errors, timeout.Token, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Those not in by now count as failures; the others are measured.
            lock (errors) errors.Add($"not every client was in the room within {JoinTimeout.TotalSeconds} s");
        }
        return errors;
    }

    private async Task JoinEachAsync(IEnumerable<int> slots, List<string> errors, CancellationToken timeout, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(slots, new ParallelOptions { MaxDegreeOfParallelism = JoinParallelism, CancellationToken = timeout }, async (i, token) =>
        {
            var client = server.CreateClient(transport, i, path);
            try
            {
                await client.JoinAsync(token);
                _clients[i] = client;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await client.DisposeAsync();
                lock (errors) errors.Add($"client {i}: {ex.Message}");
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Joined) await client.DisposeAsync();
        _clients = [];
    }
}
