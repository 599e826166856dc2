using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Scenarios;

/// <summary>
/// Clients that come and go during a soak, where leaks show: each signs in (by token, and by password every
/// other visit), stays a random while, leaves, and is back a second later. They say nothing and nobody counts
/// what they receive, so the deliveries owed to the soak's counted clients do not depend on when they come and
/// go; they only add join and leave notices, which receivers pass over.
/// </summary>
internal sealed class Churn(ServerUnderTest server, string transport, int firstClient, int count, TimeSpan shortestStay, TimeSpan longestStay)
{
    private static readonly TimeSpan Away = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private int _joins;
    private int _failures;
    private long _serverErrors;
    private string? _firstError;

    /// <summary>Visits that got into the room.</summary>
    public int Joins => Volatile.Read(ref _joins);

    /// <summary>Visits that could not get in, or were cut off before they meant to leave.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Error lines and notices the server sent churning clients (counted when a visit ends).</summary>
    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    public string? FirstError
    {
        get { lock (_gate) return _firstError; }
    }

    /// <summary>Comes and goes until <paramref name="cancellationToken"/> fires; the clients in the room then leave.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(firstClient, count).Select(client => ComeAndGoAsync(client, cancellationToken)));

    private async Task ComeAndGoAsync(int client, CancellationToken cancellationToken)
    {
        // Seeded by the client's number: two soaks of the same size churn alike.
        var random = new Random(client);
        try
        {
            // Spread over the first stay, so that the clients do not all come and go together.
            await Task.Delay(random.NextDouble() * longestStay, cancellationToken);
            for (var visit = 0; ; visit++)
            {
                var path = visit % 2 == 0 ? SignInPath.Resume : SignInPath.Password;
                await VisitAsync(client, path, shortestStay + random.NextDouble() * (longestStay - shortestStay), cancellationToken);
                await Task.Delay(Away, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The soak is over.
        }
    }

    private async Task VisitAsync(int number, SignInPath path, TimeSpan stay, CancellationToken cancellationToken)
    {
        var client = server.CreateClient(transport, number, path);
        try
        {
            using (var joining = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                joining.CancelAfter(JoinTimeout);
                await client.JoinAsync(joining.Token);
            }
            Interlocked.Increment(ref _joins);
            await Task.Delay(stay, cancellationToken);
            if (!client.IsConnected) Fail($"churning client {number} ({client.Transport}) was cut off");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Fail($"churning client {number} ({client.Transport}, {path}): {ex.Message}");
        }
        finally
        {
            Interlocked.Add(ref _serverErrors, client.ServerErrors);
            if (client.FirstServerError is { } error) Note($"churning client {number}: {error}");
            await client.DisposeAsync();
        }
    }

    private void Fail(string what)
    {
        Interlocked.Increment(ref _failures);
        Note(what);
    }

    /// <summary>Keeps the first thing that went wrong, to say what it was.</summary>
    private void Note(string what)
    {
        lock (_gate) _firstError ??= what;
    }
}
