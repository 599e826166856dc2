using System.Net;
using System.Net.Http.Json;
using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Results;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Scenarios;

/// <summary>
/// <c>register</c>: the run's accounts, through ChatWeb's API, in parallel: <c>POST /api/account/register</c>
/// then <c>POST /api/account/token</c> for each (two PBKDF2 hashes). Done once per benchmark run and
/// reported apart from the measurements; the tokens are kept in a file for every later scenario.
/// </summary>
internal sealed class AccountRegistration(Uri server, ServerProcess process, string target, ResultLog log)
{
    public const string Password = "bench-password-1";

    private readonly List<string> _errors = [];

    public async Task RunAsync(int count, int parallelism, string accountsFile, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallelism }) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(10) };
        var names = Enumerable.Range(1, count).Select(i => $"bench{i:D4}").ToArray();
        var tokens = new string?[count];
        var register = new LatencyHistogram();
        var issue = new LatencyHistogram();
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        ResultLog.Progress($"registering {count} accounts ({parallelism} at a time)");

        var before = process.Sample();
        var started = LatencyClock.Now();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), options, async (i, token) =>
        {
            // A name left from an earlier run on the same data (409) is as good as a new one.
            var (status, microseconds, _) = await PostAsync(http, "/api/account/register", names[i], token);
            Record(register, microseconds, status is HttpStatusCode.Created or HttpStatusCode.Conflict ? null : $"{names[i]}: register HTTP {(int)status}");
        });
        await Parallel.ForEachAsync(Enumerable.Range(0, count), options, async (i, token) =>
        {
            var (status, microseconds, body) = await PostAsync(http, "/api/account/token", names[i], token);
            tokens[i] = body?.AccessToken;
            Record(issue, microseconds, tokens[i] is null ? $"{names[i]}: token HTTP {(int)status}" : null);
        });
        var wallSeconds = LatencyClock.Microseconds(LatencyClock.Now() - started) / 1e6;
        var after = process.Sample();

        var accounts = names.Select((name, i) => new BenchAccount(name, Password, tokens[i] ?? "")).Where(a => a.Token.Length > 0).ToList();
        AccountsFile.Write(accountsFile, accounts);
        var cpu = after.CpuSeconds - before.CpuSeconds;
        var firstError = _errors.FirstOrDefault();
        log.Write(new RegistrationResult(target, count, count - accounts.Count, Math.Round(wallSeconds, 2),
            LatencySummary.From(register), LatencySummary.From(issue), Math.Round(cpu, 2),
            Math.Round(cpu * 1000 / Math.Max(1, register.Count + issue.Count), 2), firstError));
        if (accounts.Count < count) throw new BenchClientException($"only {accounts.Count} of {count} accounts are usable; first error: {firstError}");
    }

    private void Record(LatencyHistogram histogram, long microseconds, string? error)
    {
        if (error is not null)
        {
            lock (_errors) _errors.Add(error);
            return;
        }
        lock (histogram) histogram.Record(microseconds);
    }

    private static async Task<(HttpStatusCode Status, long Microseconds, TokenBody? Body)> PostAsync(HttpClient http, string path, string name, CancellationToken cancellationToken)
    {
        var began = LatencyClock.Now();
        using var response = await http.PostAsJsonAsync(path, new { userName = name, password = Password }, cancellationToken);
        var body = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<TokenBody>(cancellationToken) : null;
        return (response.StatusCode, LatencyClock.Microseconds(LatencyClock.Now() - began), body);
    }

    private sealed record TokenBody(string AccessToken);
}
